// Usage as the server reports it (usage_update, with Tether's running totals under
// `_meta.tether.totals`, see server/session/usage-meter.ts), and the one-line summary the
// header shows. Pure: no DOM.
import type { SessionUpdate } from '@agentclientprotocol/sdk';
import { formatBytes, formatCost, formatCount, formatPercent } from './format';

export interface Usage {
  /** Tokens in the context now (the last call's), and the model's window. */
  used?: number;
  size?: number;
  cost?: { amount: number; currency: string };
  /** JSON bytes actually sent to the model, and what a stateless client would have sent. */
  sentBytes?: number;
  statelessBytes?: number;
  inputTokens?: number;
  cachedInputTokens?: number;
  outputTokens?: number;
  modelCalls?: number;
}

type UsageUpdate = Extract<SessionUpdate, { sessionUpdate: 'usage_update' }>;

const numberOr = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function readUsage(update: UsageUpdate): Usage {
  const meta = update._meta as { tether?: { totals?: Record<string, unknown> } } | null | undefined;
  const totals = meta?.tether?.totals ?? {};
  const cost = update.cost && typeof update.cost.amount === 'number' ? { amount: update.cost.amount, currency: update.cost.currency } : undefined;
  return {
    used: numberOr(update.used),
    size: numberOr(update.size),
    cost,
    // The meter calls it bytesSent; accept the shorter spelling too.
    sentBytes: numberOr(totals.bytesSent) ?? numberOr(totals.sentBytes),
    statelessBytes: numberOr(totals.statelessBytes),
    inputTokens: numberOr(totals.inputTokens),
    cachedInputTokens: numberOr(totals.cachedInputTokens),
    outputTokens: numberOr(totals.outputTokens),
    modelCalls: numberOr(totals.modelCalls),
  };
}

export interface UsageSummary {
  /** e.g. "ctx 12% · 15.2k tok · saved 84 KB (stateless would send 120 KB)"; '' when nothing is known. */
  line: string;
  /** The longer explanation for the tooltip. */
  detail: string;
}

function totalTokens(usage: Usage): number | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  return (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
}

function savedBytes(usage: Usage): number | undefined {
  if (usage.sentBytes === undefined || usage.statelessBytes === undefined) return undefined;
  const saved = usage.statelessBytes - usage.sentBytes;
  return saved > 0 ? saved : undefined;
}

export function summarizeUsage(usage: Usage): UsageSummary {
  const line: string[] = [];
  const detail: string[] = [];
  if (usage.used !== undefined && usage.size) {
    line.push(`ctx ${formatPercent(usage.used, usage.size)}`);
    detail.push(`Context: ${usage.used.toLocaleString('en-US')} of ${usage.size.toLocaleString('en-US')} tokens`);
  }
  const tokens = totalTokens(usage);
  if (tokens) {
    line.push(`${formatCount(tokens)} tok`);
    const cached = usage.cachedInputTokens ? ` (${formatCount(usage.cachedInputTokens)} cached)` : '';
    const calls = usage.modelCalls ? ` over ${usage.modelCalls} model call${usage.modelCalls === 1 ? '' : 's'}` : '';
    detail.push(`Tokens: ${formatCount(usage.inputTokens ?? 0)} in${cached}, ${formatCount(usage.outputTokens ?? 0)} out${calls}`);
  }
  const saved = savedBytes(usage);
  if (saved !== undefined) {
    line.push(`saved ${formatBytes(saved)} (stateless would send ${formatBytes(usage.statelessBytes!)})`);
    detail.push(`Sent ${formatBytes(usage.sentBytes!)} to the model; a stateless client would have sent ${formatBytes(usage.statelessBytes!)}`);
  }
  if (usage.cost && usage.cost.amount > 0) {
    line.push(formatCost(usage.cost.amount, usage.cost.currency));
    detail.push(`Cost so far: ${formatCost(usage.cost.amount, usage.cost.currency)}`);
  }
  return { line: line.join(' · '), detail: detail.join('\n') };
}
