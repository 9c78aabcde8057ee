// Failures the core reports to the protocol edge, which maps each code to a stable JSON-RPC code.
export type TetherErrorCode = 'not_found' | 'invalid_params' | 'invalid_state' | 'internal';

export class TetherError extends Error {
  constructor(
    readonly code: TetherErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TetherError';
  }
}
