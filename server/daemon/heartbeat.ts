// Finds dead peers: every interval each socket is pinged, and one that has not answered the
// previous ping is terminated (a vanished laptop never sends a close frame).
import type { WebSocket } from 'ws';

export interface Heartbeat {
  /** Starts watching a socket; it counts as alive until the next tick. */
  watch(socket: WebSocket): void;
  stop(): void;
}

export function startHeartbeat(intervalMs: number, onDead: (socket: WebSocket) => void): Heartbeat {
  const answered = new Map<WebSocket, boolean>();
  const tick = () => {
    for (const [socket, alive] of answered) {
      if (!alive) {
        answered.delete(socket);
        onDead(socket);
        socket.terminate();
        continue;
      }
      answered.set(socket, false);
      socket.ping();
    }
  };
  const timer = setInterval(tick, intervalMs);
  // The daemon's lifetime is decided by signals, not by this timer.
  timer.unref();
  return {
    watch(socket) {
      answered.set(socket, true);
      socket.on('pong', () => {
        if (answered.has(socket)) answered.set(socket, true);
      });
      socket.once('close', () => answered.delete(socket));
    },
    stop() {
      clearInterval(timer);
      answered.clear();
    },
  };
}
