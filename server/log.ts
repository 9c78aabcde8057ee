// Logging to stderr only: in stdio mode stdout carries the protocol and nothing else.
import { format } from 'node:util';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = ORDER[(process.env.TETHER_LOG_LEVEL as Level) ?? 'info'] ?? ORDER.info;

function write(level: Level, args: unknown[]): void {
  if (ORDER[level] < threshold) return;
  process.stderr.write(`[tether ${level}] ${format(...args)}\n`);
}

export const log = {
  debug: (...args: unknown[]) => write('debug', args),
  info: (...args: unknown[]) => write('info', args),
  warn: (...args: unknown[]) => write('warn', args),
  error: (...args: unknown[]) => write('error', args),
};

/** Sends every console method to stderr so stray library output cannot corrupt the protocol stream. */
export function redirectConsoleToStderr(): void {
  for (const method of ['log', 'info', 'debug', 'trace'] as const) {
    // eslint-disable-next-line no-console -- this is the one place that replaces them
    console[method] = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
  }
}
