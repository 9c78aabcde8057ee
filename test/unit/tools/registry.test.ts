import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_TOOLS, findTool, toolSchema, toolSchemasFor, toolsWithAccess } from '../../../server/tools/registry';

describe('tool registry', () => {
  it('has unique names and finds tools by name', () => {
    const names = ALL_TOOLS.map((tool) => tool.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names.sort(), ['ask_user', 'edit_file', 'exit_plan_mode', 'glob', 'grep', 'read_file', 'shell', 'update_plan', 'write_file']);
    assert.equal(findTool('grep')?.name, 'grep');
    assert.equal(findTool('nope'), undefined);
  });

  it('builds each schema once, so requests carry identical tool definitions', () => {
    for (const tool of ALL_TOOLS) assert.equal(toolSchema(tool), toolSchema(tool));
    assert.equal(JSON.stringify(toolSchemasFor(ALL_TOOLS)), JSON.stringify(toolSchemasFor(ALL_TOOLS)));
  });

  it('produces object schemas without a $schema key', () => {
    for (const tool of ALL_TOOLS) {
      const { parameters } = toolSchema(tool);
      assert.equal(parameters.type, 'object', tool.name);
      assert.equal('$schema' in parameters, false, tool.name);
      assert.ok(tool.description.length > 0 && tool.description.length <= 160, `${tool.name} description is short`);
    }
    const read = toolSchema(findTool('read_file') ?? assert.fail('read_file missing'));
    assert.deepEqual((read.parameters as { required: string[] }).required, ['path']);
  });

  it('keeps all tool schemas within 4 KiB', () => {
    const bytes = Buffer.byteLength(JSON.stringify(toolSchemasFor(ALL_TOOLS)));
    console.log(`tool schemas: ${bytes} bytes for ${ALL_TOOLS.length} tools`);
    assert.ok(bytes <= 4096, `tool schemas take ${bytes} bytes`);
  });

  it('selects tools by access', () => {
    const readOnly = toolsWithAccess(new Set(['read']));
    assert.deepEqual(readOnly.map((tool) => tool.name), ['read_file', 'glob', 'grep']);
    const planning = toolsWithAccess(new Set(['read', 'plan'])).map((tool) => tool.name);
    assert.ok(planning.includes('exit_plan_mode') && !planning.includes('shell') && !planning.includes('edit_file'));
  });
});
