// Who may talk to the daemon, decided from the HTTP request alone, before any upgrade:
// browsers (any Origin) only from allow-listed origins, loopback binds only under a loopback Host
// (DNS rebinding), and /acp only with the daemon's token as a bearer header or a subprotocol.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The subprotocol prefix that carries the token, for clients that cannot set headers (browsers). */
export const TOKEN_PROTOCOL_PREFIX = 'tether.token.';
/** The plain subprotocol echoed back when a client offers it. */
export const ACP_PROTOCOL = 'acp';

export type RejectionCode = 'unauthorized' | 'origin_not_allowed' | 'host_not_allowed';

export interface Rejection {
  status: 401 | 403;
  code: RejectionCode;
  message: string;
}

export interface AccessPolicy {
  token: string;
  /** Exact origins (scheme://host[:port]) a browser may connect from. */
  allowedOrigins: readonly string[];
  /** When the daemon listens on loopback only, the Host header must name loopback too. */
  loopbackOnly: boolean;
}

/** 32 random bytes, base64url: safe in a header and in a subprotocol name. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in time independent of where the strings differ (hashing equalizes the lengths). */
export function tokensEqual(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Subprotocols the client offered, in order. */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (!header) return [];
  return header.split(',').map((entry) => entry.trim()).filter(Boolean);
}

function presentedTokens(request: IncomingMessage): string[] {
  const tokens: string[] = [];
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (match?.[1]) tokens.push(match[1]);
  for (const protocol of offeredProtocols(request)) {
    if (protocol.startsWith(TOKEN_PROTOCOL_PREFIX)) tokens.push(protocol.slice(TOKEN_PROTOCOL_PREFIX.length));
  }
  return tokens;
}

function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  try {
    return LOOPBACK_HOSTNAMES.has(new URL(`http://${host}`).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** Checks every request, upgrade or not: browsers and rebinding hosts are turned away. */
export function checkCaller(request: IncomingMessage, policy: AccessPolicy): Rejection | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const normalized = normalizeOrigin(origin);
    const allowed = normalized !== undefined && policy.allowedOrigins.some((entry) => normalizeOrigin(entry) === normalized);
    if (!allowed) return { status: 403, code: 'origin_not_allowed', message: `Origin ${origin} is not allowed to use this daemon.` };
  }
  if (policy.loopbackOnly && !isLoopbackHostHeader(request.headers.host)) {
    return { status: 403, code: 'host_not_allowed', message: 'The Host header must name a loopback address.' };
  }
  return undefined;
}

/** Checks the token on an /acp upgrade. */
export function checkToken(request: IncomingMessage, policy: AccessPolicy): Rejection | undefined {
  const tokens = presentedTokens(request);
  // Every presented token is compared, so timing does not reveal which one matched.
  const matched = tokens.map((token) => tokensEqual(token, policy.token)).includes(true);
  if (matched) return undefined;
  const message = tokens.length === 0
    ? `Missing token: send "Authorization: Bearer <token>" or the subprotocol "${TOKEN_PROTOCOL_PREFIX}<token>"; the token is in daemon.json.`
    : 'Invalid token.';
  return { status: 401, code: 'unauthorized', message };
}

/**
 * The subprotocol to answer with. `ws` clients fail when none of their offered protocols comes
 * back, so a client that offered only the token gets it echoed to itself.
 */
export function chooseProtocol(offered: ReadonlySet<string>): string | false {
  if (offered.has(ACP_PROTOCOL)) return ACP_PROTOCOL;
  for (const protocol of offered) if (protocol.startsWith(TOKEN_PROTOCOL_PREFIX)) return protocol;
  return false;
}
