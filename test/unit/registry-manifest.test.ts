// agent.json is what the ACP registry lists: it must pass the registry's schema rules and
// launch the package this repository publishes, at the version it publishes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'agent.json'), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; license: string; bin: Record<string, string> };

test('the required fields are non-empty strings, the id matches the registry pattern', () => {
  for (const field of ['id', 'name', 'version', 'description']) {
    assert.equal(typeof manifest[field], 'string', field);
    assert.ok((manifest[field] as string).length > 0, field);
  }
  assert.match(manifest.id as string, /^[a-z][a-z0-9-]*$/);
  assert.equal(manifest.id, 'tether');
});

test('the version is the package version', () => {
  assert.match(manifest.version as string, /^[0-9]+\.[0-9]+\.[0-9]+/);
  assert.equal(manifest.version, pkg.version);
});

test('the npx distribution runs this package as `tether acp`', () => {
  const distribution = manifest.distribution as Record<string, unknown>;
  assert.ok(distribution && typeof distribution === 'object');
  assert.deepEqual(Object.keys(distribution).filter((k) => !['npx', 'binary', 'uvx'].includes(k)), [], 'unknown distribution kinds');
  const npx = distribution.npx as { package: string; args?: string[]; env?: unknown };
  assert.deepEqual(Object.keys(npx).filter((k) => !['package', 'args', 'env'].includes(k)), [], 'unknown npx fields');
  // A pinned "name@version" must pin the version this manifest describes.
  const [name, pinned] = npx.package.startsWith('@') ? [npx.package, undefined] : npx.package.split('@');
  assert.equal(name, pkg.name);
  if (pinned !== undefined) assert.equal(pinned, pkg.version);
  assert.deepEqual(npx.args, ['acp']);
  // npx runs a package's only bin; more than one would make it guess.
  assert.deepEqual(Object.keys(pkg.bin), ['tether']);
});

test('the optional fields, when present, are well formed and agree with package.json', () => {
  assert.equal(manifest.license, pkg.license);
  assert.equal(manifest.license, 'MIT');
  assert.doesNotThrow(() => new URL(manifest.repository as string));
  const known = ['id', 'name', 'version', 'description', 'repository', 'website', 'authors', 'license', 'license_url', 'icon', 'distribution'];
  assert.deepEqual(Object.keys(manifest).filter((k) => !known.includes(k)), [], 'fields the registry does not know');
});
