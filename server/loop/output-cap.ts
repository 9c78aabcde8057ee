// Last line of defence against a tool result flooding the model's context. Tools cap their own
// output with better context; this keeps head and tail of anything that still comes in too big.
import { truncateHeadTail } from '../tools/truncate';

export const DEFAULT_TOOL_OUTPUT_LIMIT = 64 * 1024;

export function capToolOutput(output: string, limitBytes: number): string {
  return truncateHeadTail(output, limitBytes).text;
}
