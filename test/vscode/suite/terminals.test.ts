// terminal/* runs the command in a VS Code terminal the user can see, and keeps its output.
import { describe, it } from 'mocha';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { tetherApi, waitFor } from './tether-api';

describe('editor side of ACP: terminals', () => {
  it('runs a command in a visible terminal and reports output and exit code', async () => {
    const { app } = await tetherApi();
    const { terminalId } = app.terminals.create({ sessionId: 's', command: 'sh', args: ['-c', 'echo hello from tether; echo oops >&2; exit 3'] });
    const exit = await app.terminals.waitForExit({ sessionId: 's', terminalId });
    assert.equal(exit.exitCode, 3);
    const output = app.terminals.output({ sessionId: 's', terminalId });
    assert.match(output.output, /hello from tether/);
    assert.match(output.output, /oops/);
    assert.equal(output.truncated, false);
    assert.equal(output.exitStatus?.exitCode, 3);
    await waitFor('the terminal in the terminal list', () => vscode.window.terminals.find((t) => t.name.startsWith('Tether: sh -c echo hello')));
    app.terminals.release(terminalId);
    assert.throws(() => app.terminals.output({ sessionId: 's', terminalId }), /Unknown terminal/);
  });

  it('kill stops a long command and its children', async () => {
    const { app } = await tetherApi();
    const { terminalId } = app.terminals.create({ sessionId: 's', command: 'sh', args: ['-c', 'sleep 600 & wait'] });
    const started = Date.now();
    app.terminals.kill(terminalId);
    const exit = await app.terminals.waitForExit({ sessionId: 's', terminalId });
    assert.ok(exit.signal === 'SIGTERM' || exit.exitCode !== 0, `exit ${JSON.stringify(exit)}`);
    assert.ok(Date.now() - started < 5_000);
    app.terminals.release(terminalId);
  });

  it('keeps only the tail when the output passes the byte limit', async () => {
    const { app } = await tetherApi();
    const { terminalId } = app.terminals.create({ sessionId: 's', command: 'sh', args: ['-c', 'seq 1 5000'], outputByteLimit: 1000 });
    await app.terminals.waitForExit({ sessionId: 's', terminalId });
    const output = app.terminals.output({ sessionId: 's', terminalId });
    assert.equal(output.truncated, true);
    assert.ok(Buffer.byteLength(output.output) <= 1000);
    assert.match(output.output, /5000\n$/);
    app.terminals.release(terminalId);
  });
});
