import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DaemonError } from '../../../server/daemon/errors';
import { resolveDaemonSettings } from '../../../server/daemon/settings';

const badOption = (error: unknown) => error instanceof DaemonError && error.code === 'bad_option';

test('defaults: any free port on 127.0.0.1, no remote, no browser origins', () => {
  assert.deepEqual(resolveDaemonSettings([], {}), { port: 0, host: '127.0.0.1', allowRemote: false, allowedOrigins: [] });
});

test('the environment configures; arguments win over it', () => {
  const env = { TETHER_PORT: '7000', TETHER_HOST: '::1', TETHER_ALLOW_REMOTE: 'true', TETHER_ALLOWED_ORIGINS: 'https://a.example, https://b.example,' };
  assert.deepEqual(resolveDaemonSettings([], env), {
    port: 7000,
    host: '::1',
    allowRemote: true,
    allowedOrigins: ['https://a.example', 'https://b.example'],
  });
  assert.equal(resolveDaemonSettings(['--port', '7001'], env).port, 7001);
  assert.equal(resolveDaemonSettings(['--port=7002', '--host=localhost'], env).host, 'localhost');
  assert.equal(resolveDaemonSettings(['--allow-remote'], {}).allowRemote, true);
});

test('malformed values are refused with bad_option', () => {
  for (const args of [['--port', '70000'], ['--port', '-1'], ['--port', '12ab'], ['--port'], ['--host'], ['--frobnicate'], ['--allow-remote=1']]) {
    assert.throws(() => resolveDaemonSettings(args, {}), badOption, args.join(' '));
  }
  assert.throws(() => resolveDaemonSettings([], { TETHER_PORT: 'http' }), badOption);
  assert.throws(() => resolveDaemonSettings([], { TETHER_ALLOW_REMOTE: 'maybe' }), badOption);
});
