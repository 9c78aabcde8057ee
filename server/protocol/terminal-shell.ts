// Runs shell commands in the editor's terminal (ACP terminal/*) so the user can watch them.
import type { AgentContext } from '@agentclientprotocol/sdk';
import type { ShellOutcome, ShellRunner } from '../tools/types';

type Ending = 'exited' | 'timeout' | 'aborted';

function raceExit(wait: Promise<unknown>, timeoutMs: number, signal: AbortSignal): Promise<Ending> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    const onAbort = () => finish('aborted');
    function finish(ending: Ending) {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ending);
    }
    if (signal.aborted) return finish('aborted');
    signal.addEventListener('abort', onAbort);
    wait.then(() => finish('exited'), () => finish('exited'));
  });
}

export function createTerminalShellRunner(client: AgentContext, sessionId: string): ShellRunner {
  return {
    async run(command, options): Promise<ShellOutcome> {
      const handle = await client.createTerminal({
        sessionId,
        command: '/bin/sh',
        args: ['-c', command],
        cwd: options.cwd,
        outputByteLimit: options.outputLimitBytes,
      });
      try {
        const ending = await raceExit(handle.waitForExit(), options.timeoutMs, options.signal);
        if (ending !== 'exited') await handle.kill().catch(() => undefined);
        const current = await handle.currentOutput();
        return {
          exitCode: current.exitStatus?.exitCode ?? null,
          signal: current.exitStatus?.signal ?? (ending === 'exited' ? null : 'SIGKILL'),
          output: current.output,
          truncated: current.truncated,
          timedOut: ending === 'timeout',
          terminalId: handle.id,
        };
      } finally {
        await handle.release().catch(() => undefined);
      }
    },
  };
}
