// Failures of the shared daemon, each with a stable code so callers and tests never match on prose.
export type DaemonErrorCode =
  /** A non-loopback host was requested without allowRemote. */
  | 'remote_bind_refused'
  /** A command-line option or environment value is malformed. */
  | 'bad_option'
  /** TETHER_HOME (or a file in it) is owned by someone else or writable by others. */
  | 'insecure_home'
  /** The discovery or lock file is a link, or not private to this user. */
  | 'insecure_file'
  /** The HTTP server could not bind. */
  | 'listen_failed'
  /** The single-instance lock could neither be taken nor found held. */
  | 'lock_failed';

export class DaemonError extends Error {
  constructor(
    readonly code: DaemonErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DaemonError';
  }
}
