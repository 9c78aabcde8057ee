// Path data for the panel's icons (16×16, stroked): one per ACP tool kind, plus a few for
// controls. Drawn as inline SVG so no font or network is needed.
import type { ToolKind } from '@agentclientprotocol/sdk';
import { icon } from './dom';

const circle = (cx: number, cy: number, r: number) => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

const KIND_PATHS: Record<ToolKind, string[]> = {
  read: ['M4 1.5h5l3 3v10H4z', 'M9 1.5v3h3', 'M6 8h4M6 10.5h4'],
  edit: ['M11 2.5l2.5 2.5-7.5 7.5H3.5V10z', 'M9.5 4l2.5 2.5'],
  delete: ['M2.5 4h11', 'M6 4V2.5h4V4', 'M4 4l.8 10h6.4L12 4', 'M6.8 6.5v5M9.2 6.5v5'],
  move: ['M2 8h11', 'M9.5 4.5L13 8l-3.5 3.5'],
  search: [circle(6.5, 6.5, 4), 'M9.5 9.5L14 14'],
  execute: ['M2.5 4l4 4-4 4', 'M8 12.5h5.5'],
  think: ['M8 1.5a4.5 4.5 0 0 0-2.5 8.2V11.5h5V9.7A4.5 4.5 0 0 0 8 1.5z', 'M6 14h4'],
  fetch: [circle(8, 8, 6), 'M2 8h12', 'M8 2c2.2 2.2 2.2 9.8 0 12M8 2c-2.2 2.2-2.2 9.8 0 12'],
  switch_mode: ['M2.5 5.5h10', 'M10 3l2.5 2.5L10 8', 'M13.5 10.5h-10', 'M6 8l-2.5 2.5L6 13'],
  other: [circle(3.5, 8, 1), circle(8, 8, 1), circle(12.5, 8, 1)],
};

export function kindIcon(kind: string): SVGSVGElement {
  return icon(KIND_PATHS[kind as ToolKind] ?? KIND_PATHS.other, `icon kind-icon kind-${kind}`);
}

export const ICONS = {
  history: ['M2.5 8a5.5 5.5 0 1 0 1.6-3.9', 'M2.5 2.5v3h3', 'M8 5v3.2l2 1.3'],
  plus: ['M8 3v10M3 8h10'],
  close: ['M4 4l8 8M12 4l-8 8'],
  refresh: ['M13 8a5 5 0 1 1-1.5-3.6', 'M13 2.5v3h-3'],
  check: ['M3 8.5l3 3 7-7'],
  cross: ['M4 4l8 8M12 4l-8 8'],
  pending: [circle(8, 8, 5)],
  progress: [circle(8, 8, 5), 'M8 3v5h5'],
  send: ['M2 8l11.5-5.5L10 14l-2-5z', 'M8 9l5.5-6.5'],
  stop: ['M4.5 4.5h7v7h-7z'],
  down: ['M8 3v10', 'M4 9l4 4 4-4'],
  copy: ['M5.5 5.5h8v8h-8z', 'M10.5 5.5v-3h-8v8h3'],
  file: ['M4 1.5h5l3 3v10H4z', 'M9 1.5v3h3'],
} as const;
