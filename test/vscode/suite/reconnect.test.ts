// After the daemon is killed the extension starts a new one, reconnects, reattaches the
// session and can go on with it.
import { describe, it } from 'mocha';
import * as assert from 'node:assert/strict';
import { tetherApi, waitFor } from './tether-api';

describe('reconnect', () => {
  it('reconnects and reattaches after the daemon is killed', async function () {
    this.timeout(60_000);
    const { app } = await tetherApi();
    const first = await app.link.whenConnected();
    const sessionId = await app.sessions.newSession();
    assert.equal(await app.sessions.prompt('chat: before the restart'), 'end_turn');
    const pid = first.endpoint.pid;
    assert.ok(pid, 'the local daemon has a pid');
    const states: string[] = [];
    const unsubscribe = app.link.onState((state) => states.push(state));
    process.kill(pid, 'SIGKILL');
    const second = await waitFor('a new connection to a new daemon', () => app.link.connected?.endpoint.pid !== pid && app.link.connected, 30_000);
    unsubscribe();
    assert.notEqual(second.endpoint.pid, pid);
    assert.ok(states.includes('reconnecting'), `states: ${states.join(', ')}`);
    await app.sessions.whenAttached();
    assert.equal(app.sessions.current?.sessionId, sessionId);
    // The transcript is back (from the new daemon's replay), without duplicates.
    await waitFor('the transcript replayed', () => app.sessions.current!.updates.some((u) => u.sessionUpdate === 'agent_message_chunk'));
    const userTexts = app.sessions.current!.updates.filter((u) => u.sessionUpdate === 'user_message_chunk');
    assert.equal(userTexts.length, 1, `user messages after reattach: ${JSON.stringify(userTexts)}`);
    const stopReason = await app.sessions.prompt('chat: say hello after the restart');
    assert.equal(stopReason, 'end_turn', 'the prompt after the restart ends normally');
    const texts = app.sessions.current!.updates.filter((u) => u.sessionUpdate === 'agent_message_chunk');
    assert.ok(texts.length > 0, 'the agent answered on the new daemon');
  });
});
