// Maps core failures to stable JSON-RPC errors. Codes: -32602 invalid params, -32002 not found,
// -32000 no usable provider (the message says what to set), -32603 anything else.
import { RequestError } from '@agentclientprotocol/sdk';
import { TetherError } from '../errors';
import { log } from '../log';
import { ProviderError } from '../providers/types';
import { InvalidSessionIdError } from '../session/store';

export function toRequestError(error: unknown): RequestError {
  if (error instanceof RequestError) return error;
  if (error instanceof TetherError) {
    switch (error.code) {
      case 'not_found':
        return new RequestError(-32002, error.message);
      case 'invalid_params':
        return new RequestError(-32602, error.message);
      case 'invalid_state':
        return new RequestError(-32600, error.message);
      default:
        return new RequestError(-32603, error.message);
    }
  }
  // A malformed session id comes from the client: invalid params, not an internal error.
  if (error instanceof InvalidSessionIdError) return new RequestError(-32602, error.message);
  if (error instanceof ProviderError) {
    const data = { tether: { providerError: error.code, status: error.status ?? null } };
    if (error.code === 'not_configured' || error.code === 'auth') return new RequestError(-32000, error.message, data);
    return new RequestError(-32603, `Model provider error: ${error.message}`, data);
  }
  log.error('internal error:', error);
  return new RequestError(-32603, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
}

/** Wraps a handler so every failure leaves as a proper JSON-RPC error. */
export function guarded<Args extends unknown[], Result>(handler: (...args: Args) => Promise<Result>): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      throw toRequestError(error);
    }
  };
}
