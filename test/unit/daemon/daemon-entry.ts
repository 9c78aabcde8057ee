// What `tether serve` runs, without the bundle: the lifecycle tests spawn this under tsx.
import { serveCommand } from '../../../server/daemon/lifecycle';

serveCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`daemon-entry: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
