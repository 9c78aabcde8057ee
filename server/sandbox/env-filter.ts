// The environment a sandboxed command sees. An allow list decides what passes; a deny list
// of secret-looking names then removes anything the allow list (or a user's extra names)
// let through. Keys for the model, cloud credentials and agent sockets never reach a command.

/** Exact names passed through: what shells, locales, terminals and toolchains need to work. */
const ALLOWED_NAMES = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TERM', 'COLORTERM', 'NO_COLOR', 'FORCE_COLOR',
  'TZ', 'CI', 'EDITOR', 'VISUAL',
  'NODE_ENV', 'NODE_PATH', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'NVM_DIR', 'NVM_BIN',
  'GOPATH', 'GOROOT', 'GOFLAGS', 'CARGO_HOME', 'RUSTUP_HOME', 'JAVA_HOME', 'PYTHONPATH', 'VIRTUAL_ENV', 'CONDA_PREFIX',
  'SSL_CERT_FILE', 'SSL_CERT_DIR',
]);

/** Name prefixes passed through (locale categories). */
const ALLOWED_PREFIXES = ['LC_'];

/**
 * Names that look like secrets or open a door out of the sandbox; checked after the allow
 * list, so `NODE_AUTH_TOKEN` or a user-allowed `MY_API_KEY` still stays out.
 */
const DENIED_PATTERNS: readonly RegExp[] = [
  /_API_KEY$/, /_KEY$/, /(^|_)TOKEN$/, /_TOKEN_/, /SECRET/, /PASSWORD/, /PASSWD/, /CREDENTIAL/, /PRIVATE/, /AUTH/,
  /^OPENAI_/, /^ANTHROPIC_/, /^TETHER_/,
  /^AWS_/, /^GOOGLE_/, /^GCP_/, /^GCLOUD_/, /^CLOUDSDK_/, /^AZURE_/, /^ARM_CLIENT_/,
  // Agent sockets let a command use the user's keys without reading them.
  /^SSH_AUTH_SOCK$/, /^GPG_AGENT_INFO$/, /^DBUS_SESSION_BUS_ADDRESS$/, /^XDG_RUNTIME_DIR$/,
];

/** Set for every command: nothing inside can answer a pager or a prompt, and /tmp is private. */
const FORCED: Readonly<Record<string, string>> = { PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', TMPDIR: '/tmp' };

export function isDeniedName(name: string): boolean {
  const upper = name.toUpperCase();
  return DENIED_PATTERNS.some((pattern) => pattern.test(upper));
}

function isAllowedName(name: string, extra: ReadonlySet<string>): boolean {
  return ALLOWED_NAMES.has(name) || extra.has(name) || ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * The filtered environment for a command. `extraAllowed` adds names a user chose to pass
 * (still subject to the deny list).
 */
export function sandboxEnv(source: NodeJS.ProcessEnv, extraAllowed: readonly string[] = []): Record<string, string> {
  const extra = new Set(extraAllowed);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || !isAllowedName(name, extra) || isDeniedName(name)) continue;
    env[name] = value;
  }
  return { ...env, ...FORCED };
}
