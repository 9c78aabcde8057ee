// Plays `tether serve` for the launcher tests: serves /healthz and writes the discovery file.
// FAKE_SERVE_BEHAVIOUR: "ok" (default), "exit" (exits 3 at once, saying so on stderr),
// "lost-race" (exits 0 at once, as when another daemon holds the lock), "silent" (never announces).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

if (process.argv[2] !== 'serve') process.exit(64);
const behaviour = process.env.FAKE_SERVE_BEHAVIOUR ?? 'ok';
if (behaviour === 'exit') {
  process.stderr.write('fake serve: exiting with 3\n');
  process.exit(3);
}
if (behaviour === 'lost-race') process.exit(0);
// A safety net: a test that fails before stopping this process does not leave it behind.
setTimeout(() => process.exit(0), Number(process.env.FAKE_SERVE_LIFETIME_MS ?? 20_000));
if (behaviour === 'ok') {
  const server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
  server.listen(0, '127.0.0.1', () => {
    const record = { port: server.address().port, pid: process.pid, protocolVersion: 1, token: 'fake', version: process.env.FAKE_SERVE_MARK ?? '', startedAt: new Date().toISOString() };
    writeFileSync(join(process.env.TETHER_HOME, 'daemon.json'), JSON.stringify(record), { mode: 0o600 });
  });
}
