// Every tool Tether offers, and their JSON schemas for the model. Schemas are computed once per
// tool so every request carries byte-identical tool definitions (providers cache on the prefix).
import * as z from 'zod/v4';
import type { ToolSchema } from '../providers/types';
import { askUser } from './ask-user';
import { editFile } from './edit-file';
import { exitPlanMode } from './exit-plan-mode';
import { globFiles } from './glob';
import { grep } from './grep';
import { readFile } from './read-file';
import { shell } from './shell';
import type { ToolAccess, ToolDefinition } from './types';
import { updatePlan } from './update-plan';
import { writeFile } from './write-file';

export const ALL_TOOLS: readonly ToolDefinition[] = [readFile, globFiles, grep, editFile, writeFile, shell, updatePlan, askUser, exitPlanMode];

export function findTool(name: string): ToolDefinition | undefined {
  return ALL_TOOLS.find((tool) => tool.name === name);
}

const schemas = new WeakMap<ToolDefinition, ToolSchema>();

function parametersOf(tool: ToolDefinition): Record<string, unknown> {
  const { $schema: _dialect, ...parameters } = z.toJSONSchema(tool.input) as Record<string, unknown>;
  return parameters;
}

/** The tool as the model sees it; the same object on every call. */
export function toolSchema(tool: ToolDefinition): ToolSchema {
  let schema = schemas.get(tool);
  if (!schema) {
    schema = { name: tool.name, description: tool.description, parameters: parametersOf(tool) };
    schemas.set(tool, schema);
  }
  return schema;
}

export function toolSchemasFor(tools: readonly ToolDefinition[]): ToolSchema[] {
  return tools.map((tool) => toolSchema(tool));
}

/** The tools whose access is in `accesses`, in registry order. */
export function toolsWithAccess(accesses: ReadonlySet<ToolAccess>): ToolDefinition[] {
  return ALL_TOOLS.filter((tool) => accesses.has(tool.access));
}
