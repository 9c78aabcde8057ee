// Last line of defence against a tool result flooding the model's context. Tools cap their own
// output with better context; this keeps head and tail of anything that still comes in too big.
export const DEFAULT_TOOL_OUTPUT_LIMIT = 64 * 1024;

export function capToolOutput(output: string, limitBytes: number): string {
  const bytes = Buffer.byteLength(output);
  if (bytes <= limitBytes) return output;
  const half = Math.floor(limitBytes / 2);
  const head = Buffer.from(output).subarray(0, half).toString('utf8');
  const tail = Buffer.from(output).subarray(bytes - half).toString('utf8');
  return `${head}\n[... ${bytes - 2 * half} bytes truncated by Tether ...]\n${tail}`;
}
