// How a session runs commands: confined by bubblewrap with the policy of its mode, or, where no
// sandbox can run, unconfined but only after the user said yes to that very command.
import { log } from '../log';
import { sandboxAvailability, type SandboxStatus } from '../sandbox/availability';
import { policyForMode } from '../sandbox/policy';
import { createSandboxedShellRunner } from '../sandbox/sandboxed-shell';
import { isInside, type WorkspaceRoots } from '../tools/paths';
import type { ShellRunner } from '../tools/types';

export interface SandboxPort {
  /** The machine's sandbox, detected once per process. */
  status(): Promise<SandboxStatus>;
  /** The status once detected, for synchronous callers. */
  known(): SandboxStatus | undefined;
  /** Paths commands must not see: Tether's data and other sessions' workspaces. */
  hiddenPaths(roots: WorkspaceRoots): string[];
}

/** A port over the process-wide detection; `candidates` lists what may need hiding. */
export function createSandboxPort(candidates: () => string[]): SandboxPort {
  let known: SandboxStatus | undefined;
  return {
    status: async () => (known = await sandboxAvailability()),
    known: () => known,
    hiddenPaths: (roots) => pathsToHide(candidates(), roots),
  };
}

/** Paths to hide from a session: none that hold or lie inside its own roots. */
export function pathsToHide(candidates: readonly string[], roots: WorkspaceRoots): string[] {
  const own = [roots.cwd, ...roots.additionalDirectories];
  return [...new Set(candidates)].filter((path) => !own.some((root) => isInside(root, path) || isInside(path, root)));
}

/** The runner for one tool call: the sandbox around whichever runner would run it unconfined. */
export function commandRunner(options: {
  mode: Parameters<typeof policyForMode>[0];
  /** The user's explicit opt-out of the sandbox for this session. */
  fullAccess: boolean;
  roots: WorkspaceRoots;
  /** Only for a call whose network use the user approved. */
  network: boolean;
  status?: SandboxStatus;
  unconfined: ShellRunner;
  sandbox: SandboxPort;
}): ShellRunner {
  // No sandbox here: the user approved this exact command to run unconfined (see the authorize step).
  if (options.status?.available === false) return options.unconfined;
  return createSandboxedShellRunner({
    policy: policyForMode(options.mode, options.fullAccess),
    roots: options.roots,
    network: options.network,
    fallback: options.unconfined,
    hiddenPaths: () => options.sandbox.hiddenPaths(options.roots),
  });
}

const warned = new Set<string>();

/** Says once per session, in the log, that commands run unconfined and each will be asked. */
export function noteNoSandbox(sessionId: string, status: SandboxStatus & { available: false }): void {
  if (warned.has(sessionId)) return;
  warned.add(sessionId);
  log.warn(`session ${sessionId}: ${status.notice} Every command will be asked before it runs.`);
}
