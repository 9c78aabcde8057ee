// ACP prompt content → the loop's neutral user parts.
import type { ContentBlock } from '@agentclientprotocol/sdk';
import { TetherError } from '../errors';
import type { UserPart } from '../loop/items';

export function toUserParts(blocks: ContentBlock[]): UserPart[] {
  const parts: UserPart[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: block.text });
        break;
      case 'image':
        parts.push({ type: 'image', mimeType: block.mimeType, data: block.data });
        break;
      case 'resource_link':
        parts.push({ type: 'text', text: `[Attached: ${block.name} (${block.uri})]` });
        break;
      case 'resource': {
        const resource = block.resource;
        if ('text' in resource) parts.push({ type: 'resource', uri: resource.uri, text: resource.text, mimeType: resource.mimeType ?? undefined });
        else parts.push({ type: 'text', text: `[Attached binary resource ${resource.uri}, not shown]` });
        break;
      }
      case 'audio':
        throw new TetherError('invalid_params', 'Audio prompts are not supported (promptCapabilities.audio is false).');
    }
  }
  if (parts.length === 0) throw new TetherError('invalid_params', 'The prompt is empty.');
  return parts;
}
