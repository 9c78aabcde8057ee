// Exact inputs the fuzzers found, kept as plain regression tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nestedDeeperThan } from '../../server/protocol/nesting-limit';
import { AgentProcess } from '../support/agent-process';

const deepObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('fuzzer findings', () => {
  it('nestedDeeperThan counts levels without recursion', () => {
    assert.equal(nestedDeeperThan({ a: [1] }, 2), false);
    assert.equal(nestedDeeperThan({ a: [[1]] }, 2), true);
    assert.equal(nestedDeeperThan(JSON.parse(deepObject(200_000)), 256), true);
    assert.equal(nestedDeeperThan('x', 0), false);
  });

  it('an invalid envelope nested 5,000 levels deep is refused and the stdio server stays up', { timeout: 20_000 }, async () => {
    // Before: the SDK echoed the envelope as error data, JSON.stringify overflowed the stack, the
    // write failed, the connection closed and the process exited 0 without a word.
    const agent = AgentProcess.start();
    try {
      await agent.initialize();
      // (The fuzzer's form was a deep *id*; this harness cannot log such an id, so the depth sits in
      // the params of an envelope the SDK rejects and echoes: the same crash before the fix.)
      const refused = await agent.sendRaw(`{"jsonrpc":"1.0","id":"bad","method":"x","params":${deepObject(5000)}}`, (m) => m.id === 'bad');
      assert.equal((refused.error as { code: number }).code, -32600);
      const deepParams = await agent.sendRaw(
        `{"jsonrpc":"2.0","id":"deep","method":"session/prompt","params":{"sessionId":"x","prompt":[],"_meta":${deepObject(5000)}}}`,
        (m) => m.id === 'deep',
      );
      assert.equal((deepParams.error as { code: number }).code, -32600);
      const load = await agent.rawRequest('session/load', { sessionId: '../../etc/passwd', cwd: '/', mcpServers: [] });
      // Before: -32603 "Internal error" with a stack trace on stderr.
      assert.equal((load.error as { code: number }).code, -32602, JSON.stringify(load));
      assert.ok((await agent.initialize()).protocolVersion === 1, 'still answering');
    } finally {
      const exit = await agent.stop();
      assert.equal(exit.code, 0);
    }
  });
});
