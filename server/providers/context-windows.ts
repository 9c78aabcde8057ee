// Context window sizes of well-known models, for the "context used" figure clients show.
const KNOWN: Array<[RegExp, number]> = [
  [/^gpt-4\.1/, 1_047_576],
  [/^gpt-5/, 400_000],
  [/^o[134]/, 200_000],
  [/^gpt-4o/, 128_000],
  [/^claude-/, 200_000],
];

export const DEFAULT_CONTEXT_WINDOW = 128_000;

export function contextWindowOf(model: string): number {
  return KNOWN.find(([pattern]) => pattern.test(model))?.[1] ?? DEFAULT_CONTEXT_WINDOW;
}
