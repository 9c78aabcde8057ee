// Parses durations such as "1h30m", "90s", "250ms" or "1.5h" into milliseconds.

const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};

const PART = /(\d+(?:\.\d+)?)\s*(h|m|s|ms|d)/g;

/**
 * @param {string | number} input
 * @returns {number} milliseconds
 */
export function parseDuration(input) {
  if (typeof input === 'number') return input;
  const text = String(input).trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);

  let total = 0;
  let consumed = '';
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
    consumed += match[0];
  }
  if (consumed.replace(/\s+/g, '') !== text.replace(/\s+/g, '')) {
    throw new RangeError(`Invalid duration: "${input}"`);
  }
  return total;
}
