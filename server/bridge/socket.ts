// The WebSocket to the daemon: bearer token on the upgrade, no Origin (the daemon refuses
// browser-origin requests), no compression (loopback, small frames).
import WebSocket from 'ws';
import { urlHost, type DaemonInfo } from './discovery';

export const ACP_PATH = '/acp';

export function daemonUrl(info: Pick<DaemonInfo, 'host' | 'port'>): string {
  return `ws://${urlHost(info.host)}:${info.port}${ACP_PATH}`;
}

/** Resolves with an open socket, or rejects with why it could not open within `timeoutMs`. */
export function openSocket(info: Pick<DaemonInfo, 'host' | 'port' | 'token'>, timeoutMs = 5_000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(daemonUrl(info), {
      headers: { authorization: `Bearer ${info.token}` },
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    const fail = (why: string) => {
      socket.removeAllListeners();
      socket.on('error', () => {}); // a late error on a socket nobody holds anymore
      socket.terminate();
      reject(new Error(`cannot connect to the Tether daemon at ${daemonUrl(info)}: ${why}`));
    };
    socket.once('open', () => {
      socket.removeAllListeners();
      resolve(socket);
    });
    socket.once('unexpected-response', (_request, response) => fail(`HTTP ${response.statusCode}`));
    socket.once('error', (error) => fail(error.message));
    socket.once('close', (code) => fail(`closed (${code}) during the handshake`));
  });
}
