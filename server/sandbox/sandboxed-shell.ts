// A ShellRunner that confines each command with bubblewrap. It composes the unconfined runner
// it is given (local shell or editor terminal): that runner starts `exec bwrap ... -- /bin/sh
// -c <command>`, so process-group kill, timeout and output capping stay exactly as they are.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkspaceRoots } from '../tools/paths';
import type { ShellOutcome, ShellRunner } from '../tools/types';
import { sandboxAvailability, type SandboxStatus } from './availability';
import { sandboxEnv } from './env-filter';
import { bwrapArgs, SANDBOX_POLICIES, type SandboxPolicyId } from './policy';

/** Thrown instead of running a command unconfined when no sandbox can start. */
export class SandboxUnavailableError extends Error {
  constructor(readonly status: SandboxStatus & { available: false }) {
    super(status.notice);
    this.name = 'SandboxUnavailableError';
  }
}

export interface SandboxedShellOptions {
  policy: SandboxPolicyId;
  roots: WorkspaceRoots;
  /** Whether commands may use the network (the host's network namespace). */
  network: boolean;
  /**
   * The unconfined runner. It launches bwrap; it runs a command as written only under
   * full-access. The session also uses it directly once the user approved an unconfined run.
   */
  fallback: ShellRunner;
  /** Host directory bound at /tmp for every command (see createPrivateTmp); default: a fresh tmpfs each time. */
  privateTmp?: string;
  /** Read per command: paths to hide (TETHER_HOME, other live sessions' workspaces). */
  hiddenPaths?: () => readonly string[];
  /** Environment to filter (default process.env) and names a user chose to pass through. */
  env?: NodeJS.ProcessEnv;
  extraEnv?: readonly string[];
  /** Injected by tests; defaults to the cached detection. */
  availability?: () => Promise<SandboxStatus>;
}

/** Quotes one word for /bin/sh: single quotes, with embedded ones closed and escaped. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function envArgs(env: Record<string, string>): string[] {
  return ['--clearenv', ...Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value])];
}

/** The /bin/sh command line the fallback runner starts for `command` under a confined policy. */
export function confinedCommandLine(bwrapPath: string, command: string, cwd: string, options: SandboxedShellOptions): string {
  const args = bwrapArgs({
    policy: options.policy,
    roots: options.roots,
    network: options.network,
    privateTmp: options.privateTmp,
    hiddenPaths: options.hiddenPaths?.() ?? [],
  });
  const env = sandboxEnv(options.env ?? process.env, options.extraEnv);
  // `exec` keeps bwrap as the process-group leader the fallback kills on timeout or cancel.
  const argv = [bwrapPath, ...args, '--chdir', realpathSync.native(cwd), ...envArgs(env), '--', '/bin/sh', '-c', command];
  return `exec ${argv.map(shellQuote).join(' ')}`;
}

/** Full access is unconfined but still gets the filtered environment: secrets stay out. */
function unconfinedCommandLine(command: string, options: SandboxedShellOptions): string {
  const env = sandboxEnv(options.env ?? process.env, options.extraEnv);
  const assignments = Object.entries(env).map(([name, value]) => shellQuote(`${name}=${value}`));
  return `exec env -i ${assignments.join(' ')} /bin/sh -c ${shellQuote(command)}`;
}

/**
 * A ShellRunner confined by `options.policy`. When bwrap cannot run, `run` rejects with
 * SandboxUnavailableError and never starts the command: the session decides whether to ask.
 */
export function createSandboxedShellRunner(options: SandboxedShellOptions): ShellRunner {
  const availability = options.availability ?? (() => sandboxAvailability());
  return {
    async run(command, runOptions): Promise<ShellOutcome> {
      runOptions.signal.throwIfAborted();
      if (!SANDBOX_POLICIES[options.policy].confined) {
        return options.fallback.run(unconfinedCommandLine(command, options), runOptions);
      }
      const status = await availability();
      if (!status.available) throw new SandboxUnavailableError(status);
      return options.fallback.run(confinedCommandLine(status.bwrapPath, command, runOptions.cwd, options), runOptions);
    },
  };
}

/** A private /tmp for one session: a 0700 host directory, removed by `dispose`. */
export function createPrivateTmp(prefix = 'tether-sandbox-tmp-'): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}
