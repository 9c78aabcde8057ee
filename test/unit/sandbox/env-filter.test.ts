import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeniedName, sandboxEnv } from '../../../server/sandbox/env-filter';

describe('sandboxEnv', () => {
  const source = {
    PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', LC_ALL: 'C', TERM: 'xterm', USER: 'u', SHELL: '/bin/bash', NODE_ENV: 'test',
    OPENAI_API_KEY: 'a', ANTHROPIC_BASE_URL: 'b', TETHER_HOME: 'c', GITHUB_TOKEN: 'd', NODE_AUTH_TOKEN: 'e', AWS_ACCESS_KEY_ID: 'f',
    GOOGLE_APPLICATION_CREDENTIALS: 'g', AZURE_CLIENT_SECRET: 'h', SSH_AUTH_SOCK: 'i', DB_PASSWORD: 'j', UNLISTED_VAR: 'k', LC_API_KEY: 'l',
  };

  it('keeps the allow list, drops secrets and everything unlisted, forces pager and tmp settings', () => {
    assert.deepEqual(sandboxEnv(source), {
      PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', LC_ALL: 'C', TERM: 'xterm', USER: 'u', SHELL: '/bin/bash', NODE_ENV: 'test',
      PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', TMPDIR: '/tmp',
    });
  });

  it('passes extra names a user allowed, but never secret-looking ones', () => {
    const env = sandboxEnv({ ...source, MY_TOOL_DIR: '/opt', MY_API_KEY: 'x' }, ['MY_TOOL_DIR', 'MY_API_KEY']);
    assert.equal(env.MY_TOOL_DIR, '/opt');
    assert.equal(env.MY_API_KEY, undefined);
  });

  it('recognizes secret names in any case', () => {
    for (const name of ['openai_api_key', 'Npm_Token', 'aws_secret_access_key', 'SSH_AUTH_SOCK', 'TETHER_TOKEN', 'mysql_password']) {
      assert.ok(isDeniedName(name), name);
    }
    for (const name of ['PATH', 'HOME', 'LANG', 'NODE_ENV']) assert.ok(!isDeniedName(name), name);
  });
});
