// Sandbox policies as data, and the bubblewrap argument list that enforces one. The whole
// file system is mounted read-only, then the few writable roots are bound back on top; every
// namespace a command could use to reach further (network, pids, IPC, users) is its own.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ModeId } from '../permissions/modes';
import { isInside, type WorkspaceRoots } from '../tools/paths';

export type SandboxPolicyId = 'workspace-write' | 'read-only' | 'full-access';

export interface SandboxPolicy {
  id: SandboxPolicyId;
  /** False only for full-access: commands run on the machine as they are. */
  confined: boolean;
  /** Whether the workspace and additional directories are writable. */
  writesWorkspace: boolean;
  description: string;
}

export const SANDBOX_POLICIES: Readonly<Record<SandboxPolicyId, SandboxPolicy>> = {
  'workspace-write': {
    id: 'workspace-write',
    confined: true,
    writesWorkspace: true,
    description: 'Commands may write the workspace, the additional directories and a private /tmp; the rest is read-only.',
  },
  'read-only': {
    id: 'read-only',
    confined: true,
    writesWorkspace: false,
    description: 'Commands may read but write nowhere except a private /tmp that is thrown away.',
  },
  'full-access': {
    id: 'full-access',
    confined: false,
    writesWorkspace: true,
    description: 'Commands run unconfined, with the whole machine and the network. Only on explicit opt-in.',
  },
};

export const DEFAULT_SANDBOX_POLICY: SandboxPolicyId = 'workspace-write';

export function isSandboxPolicyId(value: string): value is SandboxPolicyId {
  return Object.hasOwn(SANDBOX_POLICIES, value);
}

/**
 * The policy for a session mode. Plan mode is read-only. Full access is never implied by a
 * mode, not even bypass: it needs the user's explicit opt-in.
 */
export function policyForMode(mode: ModeId, fullAccessOptIn = false): SandboxPolicyId {
  if (mode === 'plan') return 'read-only';
  return fullAccessOptIn ? 'full-access' : DEFAULT_SANDBOX_POLICY;
}

export interface BwrapPlan {
  policy: SandboxPolicyId;
  roots: WorkspaceRoots;
  network: boolean;
  /** Host directory bound at /tmp (one per session); without it each command gets a fresh tmpfs. */
  privateTmp?: string;
  /** Paths hidden behind an empty tmpfs (TETHER_HOME, other sessions' workspaces). */
  hiddenPaths?: readonly string[];
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}

/** Real paths of the roots that exist, duplicates and nested roots dropped. */
export function writableRoots(roots: WorkspaceRoots): string[] {
  const real = [roots.cwd, ...roots.additionalDirectories].map((root) => realOrNull(root)).filter((root) => root !== null);
  return real.filter((root, index) => !real.some((other, j) => j !== index && isInside(other, root) && (other !== root || j < index)));
}

/** A worktree's `.git` is a file naming the real git dir; that dir needs the same protection. */
function gitdirFromPointer(pointer: string): string | null {
  try {
    const match = /^gitdir:\s*(.+)$/m.exec(readFileSync(pointer, 'utf8'));
    if (!match?.[1]) return null;
    const target = match[1].trim();
    return realOrNull(isAbsolute(target) ? target : resolve(dirname(pointer), target));
  } catch {
    return null;
  }
}

/**
 * Git metadata under the writable roots, kept read-only so a command cannot plant hooks or
 * rewrite config that git would later run outside the sandbox.
 */
export function protectedGitPaths(roots: readonly string[]): string[] {
  const found: string[] = [];
  for (const root of roots) {
    const dotGit = join(root, '.git');
    if (!existsSync(dotGit)) continue;
    found.push(dotGit);
    if (statSync(dotGit).isFile()) {
      const gitdir = gitdirFromPointer(dotGit);
      if (gitdir !== null && roots.some((other) => isInside(other, gitdir))) found.push(gitdir);
    }
  }
  return found;
}

/**
 * An empty read-only tmpfs over a directory, `/dev/null` over a file: the content is gone and
 * a write fails loudly instead of landing in a throwaway layer.
 */
function hideArgs(path: string): string[] {
  return statSync(path).isDirectory() ? ['--tmpfs', path, '--remount-ro', path] : ['--ro-bind', '/dev/null', path];
}

/** Namespaces and process hygiene; the reason for each flag is beside it. */
function isolationArgs(network: boolean): string[] {
  return [
    // A user namespace with every capability dropped: without it, bwrap run as root keeps
    // CAP_SYS_ADMIN and `mount -o remount,rw /` undoes the read-only root.
    '--unshare-user',
    '--cap-drop',
    'ALL',
    // No nested user namespace, so a command cannot regain capabilities to remount.
    '--disable-userns',
    // Own pid namespace: host processes are invisible and cannot be signalled.
    '--unshare-pid',
    // Host SysV shared memory and semaphores stay out of reach.
    '--unshare-ipc',
    // Only a private loopback: no route to the host's listeners or the outside world.
    ...(network ? [] : ['--unshare-net']),
    // The whole sandbox dies with its bwrap parent, so killing the process group suffices.
    '--die-with-parent',
    // New session: no controlling terminal to inject keystrokes into (TIOCSTI).
    '--new-session',
  ];
}

/** Mounts, in the order bwrap applies them: later mounts cover earlier ones. */
function mountArgs(plan: BwrapPlan): string[] {
  const writable = SANDBOX_POLICIES[plan.policy].writesWorkspace ? writableRoots(plan.roots) : [];
  const hidden = (plan.hiddenPaths ?? []).map((path) => realOrNull(path)).filter((path) => path !== null);
  // A hidden path that contains a root goes first so the root's bind reappears on top of it;
  // one inside a root goes after the bind, or the bind would uncover it again.
  const containsRoot = (path: string): boolean => writable.some((root) => isInside(path, root));
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  args.push(...(plan.privateTmp ? ['--bind', realpathSync.native(plan.privateTmp), '/tmp'] : ['--tmpfs', '/tmp']));
  for (const path of hidden.filter(containsRoot)) args.push(...hideArgs(path));
  for (const root of writable) args.push('--bind', root, root);
  for (const path of hidden.filter((path) => !containsRoot(path))) args.push(...hideArgs(path));
  for (const path of protectedGitPaths(writable)) args.push('--ro-bind', path, path);
  return args;
}

/**
 * The bwrap options (everything before `--`) that confine one command under `plan`. Roots and
 * hidden paths are resolved with realpath; those that do not exist are left out. Throws for
 * full-access, which runs without bwrap.
 */
export function bwrapArgs(plan: BwrapPlan): string[] {
  if (!SANDBOX_POLICIES[plan.policy].confined) throw new Error(`policy ${plan.policy} runs without a sandbox`);
  return [...isolationArgs(plan.network), ...mountArgs(plan)];
}
