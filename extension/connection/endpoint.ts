// Where the extension's ACP connection goes: the shared daemon of this user's TETHER_HOME
// (started with the bundled server on VS Code's own Node if none runs), or `tether.serverUrl`.
import { ensureDaemon } from '../../server/bridge/launcher';
import { tetherHomeOf } from '../../server/config';
import type { DaemonInfo } from '../../server/bridge/discovery';

export interface Endpoint {
  host: string;
  port: number;
  token: string;
  /** The daemon's pid when we know it (local daemon); restart stops it by pid. */
  pid?: number;
  /** True when this extension started (or would restart) the daemon itself. */
  local: boolean;
}

export interface EndpointSettings {
  /** `ws://host:port/acp` of a daemon somewhere else; empty means the local shared daemon. */
  serverUrl: string;
  serverToken: string;
}

export async function resolveEndpoint(settings: EndpointSettings, serverScript: string): Promise<Endpoint> {
  if (settings.serverUrl) return remoteEndpoint(settings);
  const home = tetherHomeOf();
  // ELECTRON_RUN_AS_NODE: in desktop VS Code process.execPath is Electron; this makes it plain Node.
  const info: DaemonInfo = await ensureDaemon({ home, script: serverScript, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  return { host: info.host, port: info.port, token: info.token, pid: info.pid, local: true };
}

function remoteEndpoint(settings: EndpointSettings): Endpoint {
  let url: URL;
  try {
    url = new URL(settings.serverUrl);
  } catch {
    throw new Error(`tether.serverUrl is not a URL: ${settings.serverUrl}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`tether.serverUrl must be a ws:// URL, got ${settings.serverUrl}`);
  if (!settings.serverToken) throw new Error('tether.serverUrl is set but tether.serverToken is empty: copy the token from the server\'s daemon.json');
  const port = Number(url.port || (url.protocol === 'wss:' ? 443 : 80));
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, token: settings.serverToken, local: false };
}
