// Options of `tether serve`, from its arguments and the environment (arguments win).
// TETHER_PORT, TETHER_HOST, TETHER_ALLOW_REMOTE, TETHER_ALLOWED_ORIGINS.
import { DaemonError } from './errors';
import { DEFAULT_HOST } from './server';

export interface DaemonSettings {
  /** 0: any free port, published in daemon.json. */
  port: number;
  host: string;
  allowRemote: boolean;
  allowedOrigins: string[];
}

type Env = Record<string, string | undefined>;

export const SERVE_USAGE = `tether serve [--port N] [--host H] [--allow-remote]
  Runs the shared daemon: ACP over WebSocket at ws://HOST:PORT/acp, token in $TETHER_HOME/daemon.json.
  Environment: TETHER_PORT, TETHER_HOST (default ${DEFAULT_HOST}), TETHER_ALLOW_REMOTE=1,
  TETHER_ALLOWED_ORIGINS (comma-separated browser origins; none by default).`;

function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port > 65535) {
    throw new DaemonError('bad_option', `${source} must be a port number from 0 to 65535, not "${value}".`);
  }
  return port;
}

function parseFlag(value: string, source: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off|)$/i.test(value)) return false;
  throw new DaemonError('bad_option', `${source} must be 1 or 0, not "${value}".`);
}

function fromEnv(env: Env): DaemonSettings {
  return {
    port: env.TETHER_PORT ? parsePort(env.TETHER_PORT, 'TETHER_PORT') : 0,
    host: env.TETHER_HOST || DEFAULT_HOST,
    allowRemote: parseFlag(env.TETHER_ALLOW_REMOTE ?? '', 'TETHER_ALLOW_REMOTE'),
    allowedOrigins: (env.TETHER_ALLOWED_ORIGINS ?? '').split(',').map((entry) => entry.trim()).filter(Boolean),
  };
}

/** Parses `--port N`, `--port=N`, `--host H`, `--host=H`, `--allow-remote`; throws DaemonError('bad_option'). */
export function resolveDaemonSettings(args: readonly string[], env: Env): DaemonSettings {
  const settings = fromEnv(env);
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? args[++index];
      if (next === undefined || next === '') throw new DaemonError('bad_option', `${name} needs a value.`);
      return next;
    };
    if (name === '--port') settings.port = parsePort(value(), '--port');
    else if (name === '--host') settings.host = value();
    else if (name === '--allow-remote' && inline === undefined) settings.allowRemote = true;
    else throw new DaemonError('bad_option', `unknown option for serve: ${arg}`);
  }
  return settings;
}
