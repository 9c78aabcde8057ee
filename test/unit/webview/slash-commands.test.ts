import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandMatches, completeCommand } from '../../../extension/webview/slash-commands';

const commands = [
  { name: 'plan', description: 'Plan first' },
  { name: 'implement', description: 'Go' },
];

describe('slash command completion', () => {
  it('offers commands while the message is a lone /prefix', () => {
    assert.deepEqual(commandMatches('/', commands).map((c) => c.name), ['plan', 'implement']);
    assert.deepEqual(commandMatches('/IM', commands).map((c) => c.name), ['implement']);
  });

  it('stays out of the way otherwise', () => {
    for (const value of ['', 'plan', '/plan', '/plan this', 'use /plan', '/x']) assert.deepEqual(commandMatches(value, commands), [], value);
    assert.equal(completeCommand(commands[0]!), '/plan ');
  });
});
