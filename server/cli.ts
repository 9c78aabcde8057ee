// Entry point of the `tether` command: argument parsing and dispatch only.
import { loadConfig } from './config';
import { log } from './log';
import { VERSION } from './version';

const USAGE = `tether ${VERSION}

Usage:
  tether acp [--standalone]   ACP v1 over stdio (what editors launch): relays to the shared daemon,
                              starting it if needed; --standalone runs the agent in-process
  tether serve [--port N] [--host H] [--allow-remote]
                              the shared daemon: ACP over WebSocket at /acp on 127.0.0.1,
                              found through $TETHER_HOME/daemon.json
  tether demo                 a whole session through the real server on an example project
  tether --version

Environment: TETHER_HOME, TETHER_PROVIDER (openai-responses | openai-chat | anthropic), TETHER_MODEL,
OPENAI_API_KEY, OPENAI_BASE_URL, TETHER_OPENAI_TRANSPORT (websocket | http), ANTHROPIC_API_KEY,
ANTHROPIC_BASE_URL; for serve: TETHER_PORT, TETHER_HOST, TETHER_ALLOW_REMOTE, TETHER_ALLOWED_ORIGINS.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'acp': {
      const unknown = rest.filter((arg) => arg !== '--standalone');
      if (unknown.length > 0) throw new Error(`unknown option for acp: ${unknown.join(' ')}`);
      if (!rest.includes('--standalone')) {
        const { runBridge } = await import('./bridge/run');
        return runBridge({ home: loadConfig().home });
      }
      const { serveStdio } = await import('./protocol/stdio');
      await serveStdio(loadConfig());
      return 0;
    }
    case 'serve': {
      const { serveCommand } = await import('./daemon/lifecycle');
      return serveCommand(rest);
    }
    case 'demo': {
      const { runDemo } = await import('./demo/demo');
      return runDemo({ args: rest });
    }
    case '--version':
    case '-v':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`tether: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
