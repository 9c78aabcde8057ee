// Small, pure formatters for the panel's numbers and times (unit-tested, no DOM).

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${Math.round(bytes)} B`;
  if (abs < 1024 * 1024) return `${trim(bytes / 1024)} KB`;
  if (abs < 1024 * 1024 * 1024) return `${trim(bytes / 1024 / 1024)} MB`;
  return `${trim(bytes / 1024 / 1024 / 1024)} GB`;
}

/** 950 → "950", 15_234 → "15.2k", 1_250_000 → "1.3M". */
export function formatCount(count: number): string {
  const abs = Math.abs(count);
  if (abs < 1000) return String(Math.round(count));
  if (abs < 1_000_000) return `${trim(count / 1000)}k`;
  return `${trim(count / 1_000_000)}M`;
}

/** One decimal below 100, none above: "8.4", "84", "120". */
function trim(value: number): string {
  return Math.abs(value) < 100 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}

export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const percent = (part / whole) * 100;
  // Below 1% rounds to "<1%" rather than a misleading "0%".
  if (percent > 0 && percent < 1) return '<1%';
  return `${Math.round(percent)}%`;
}

export function formatCost(amount: number, currency: string): string {
  const digits = amount < 1 ? 3 : 2;
  return currency.toUpperCase() === 'USD' ? `$${amount.toFixed(digits)}` : `${amount.toFixed(digits)} ${currency}`;
}

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 d ago", then the date. */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = Math.max(0, (now - at) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  if (days === 1) return 'yesterday';
  if (days < 30) return `${days} d ago`;
  return new Date(at).toISOString().slice(0, 10);
}

/** The last segment of a path, for compact labels. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Keeps at most `max` characters, saying how much was left out. */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… ${text.length - max} more characters`;
}
