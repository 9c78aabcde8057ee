// The hooks one prompt turn gives the loop: which tools are offered, who is asked before a call
// runs, and the ports a tool gets. Plan mode is enforced here as well as in what is offered.
import { log } from '../log';
import type { Authorization, PreparedCall, TurnHooks } from '../loop/events';
import { denialMessage, isOffered, verdictFor } from '../permissions/modes';
import { decide, describeRule, type Rule, type TieredRule } from '../permissions/rules';
import { ruleScope } from '../permissions/session-rules';
import { projectSuggestion, rulePaths, saveProjectRule, savedRules, subjectOf } from '../permissions/workspace-rules';
import { ALL_TOOLS } from '../tools/registry';
import type { PlanItem, PlanModeExit, ToolContext, ToolDefinition, UserQuestion } from '../tools/types';
import { commandRunner, noteNoSandbox } from './command-sandbox';
import { planExitRequest, questionsRequest, readPlanExitAnswer, readQuestionsAnswer, readToolAnswer, toolPermissionRequest } from './permission-prompt';
import type { Session } from './session';

export function createTurnHooks(session: Session, turnSignal: AbortSignal): TurnHooks {
  return {
    offeredTools: (): ToolDefinition[] => ALL_TOOLS.filter((tool) => isOffered(session.mode, tool.name, tool.access)),
    authorize: (call, signal) => authorize(session, call, signal),
    toolContext: (call, signal): ToolContext => toolContext(session, call, signal ?? turnSignal),
    emit: (event) => session.onLoopEvent(event),
  };
}

async function authorize(session: Session, call: PreparedCall, signal: AbortSignal): Promise<Authorization> {
  const verdict = verdictFor(session.mode, call.tool.name, call.tool.access);
  if (verdict === 'deny') return { allowed: false, reason: denialMessage(session.mode, call.tool.name) };
  // Under the user's explicit full-access choice there is no sandbox to miss and no network to ask for.
  const confined = call.tool.access === 'execute' && !session.fullAccess;
  const unconfined = confined ? await withoutSandbox(session) : undefined;
  const subject = await subjectOf(call.tool.name, call.args, session.cwd);
  const saved = savedRulesOf(session);
  const ruled = decide([...(saved ?? []), ...session.rules.tiered()], call.tool.name, subject);
  // A deny rule holds in every mode the mode itself allows, bypass included.
  if (ruled?.decision === 'deny') return { allowed: false, reason: ruleDenial(call.tool.name, ruled.rule) };
  // Without a sandbox every command is asked, whatever the mode or the saved rules say.
  if (unconfined) return askUser(session, call, signal, { noSandbox: unconfined });
  if (confined && wantsNetwork(call)) {
    // The sandbox blocks the network; letting a command out is its own question, in every mode.
    const network = decide([...(saved ?? []), ...session.rules.tiered()], 'network', subject);
    if (network?.decision === 'deny') return { allowed: false, reason: ruleDenial('network', network.rule) };
    if (network?.decision !== 'allow' || !saved) return askUser(session, call, signal, { network: true, project: projectSuggestion('network', subject) });
  }
  // Rules that cannot be read may hold a deny: nothing runs unasked until they are fixed.
  if (!saved) return askUser(session, call, signal, {});
  if (verdict === 'allow' || ruled?.decision === 'allow') return { allowed: true };
  return askUser(session, call, signal, { project: projectSuggestion(call.tool.name, subject) });
}

/** Project and user rules of the session's workspace, or undefined when a file is broken. */
function savedRulesOf(session: Session): TieredRule[] | undefined {
  try {
    return savedRules(rulePaths(session.home, session.cwd));
  } catch (error) {
    log.warn(`session ${session.id}: ${(error as Error).message}; asking before every call`);
    return undefined;
  }
}

function ruleDenial(toolName: string, rule: TieredRule): string {
  const where = rule.tier === 'session' ? 'for this session' : rule.tier === 'project' ? 'for this project' : 'in the user\'s settings';
  return `The user has denied ${describeRule(rule)} ${where}, so this ${toolName} call did not run. Do not retry it; ask what they want instead.`;
}

/** The notice to show when commands would run unconfined here, else undefined. */
async function withoutSandbox(session: Session): Promise<string | undefined> {
  const status = await session.local.sandbox.status();
  if (status.available) return undefined;
  noteNoSandbox(session.id, status);
  return status.notice;
}

/** A shell call that asked for the network (the model sets `network: true`). */
function wantsNetwork(call: PreparedCall): boolean {
  return call.tool.access === 'execute' && (call.args as { network?: unknown }).network === true;
}

interface AskOptions {
  noSandbox?: string;
  /** The question is about letting the command use the network. */
  network?: boolean;
  /** The rule "always for this project" saves; the option is offered only with one. */
  project?: Rule;
}

async function askUser(session: Session, call: PreparedCall, signal: AbortSignal, { noSandbox, network, project }: AskOptions): Promise<Authorization> {
  const scope = ruleScope(network ? 'network' : call.tool.name, call.args);
  const base = call.tool.title(call.args);
  const title = noSandbox ? `${base} (no sandbox: runs with your full permissions)` : network ? `${base} (with network access)` : base;
  const toolCall = { toolCallId: call.callId, title, kind: call.tool.kind, status: 'pending' as const, rawInput: call.args };
  const response = await session.askClient(toolPermissionRequest(session.id, toolCall, scope, project), signal);
  let answer = readToolAnswer(response);
  // An option that was not offered is no answer to rely on.
  if (answer === 'allow_project' && !project) answer = 'reject_once';
  if ((answer === 'allow_always' && !noSandbox) || answer === 'reject_always') {
    session.recordRule({ scope, decision: answer === 'allow_always' ? 'allow' : 'reject' });
  }
  if (answer === 'allow_project' && project) saveForProject(session, project);
  if (answer === 'allow_once' || answer === 'allow_always' || answer === 'allow_project') return { allowed: true };
  if (answer === 'cancelled') return { allowed: false, reason: 'The permission request was cancelled.' };
  return { allowed: false, reason: `The user rejected this ${call.tool.name} call. Do not retry it; ask what they want instead.` };
}

// The user allowed this call either way; a rule that cannot be saved only means asking again later.
function saveForProject(session: Session, rule: Rule): void {
  try {
    saveProjectRule(rulePaths(session.home, session.cwd), rule);
  } catch (error) {
    log.warn(`session ${session.id}: could not save the project rule ${describeRule(rule)}: ${(error as Error).message}`);
  }
}

function toolContext(session: Session, call: PreparedCall, signal: AbortSignal): ToolContext {
  const port = session.promptingPort();
  const roots = { cwd: session.cwd, additionalDirectories: session.additionalDirectories };
  const { sandbox } = session.local;
  return {
    ...roots,
    signal,
    files: port?.files ?? session.local.files,
    // Network reaches this point only for a call whose network use was approved (see authorize).
    shell: commandRunner({ mode: session.mode, fullAccess: session.fullAccess, roots, network: wantsNetwork(call), status: sandbox.known(), unconfined: port?.shell ?? session.local.shell, sandbox }),
    plan: {
      publishPlan: (entries: PlanItem[]) => session.publish({ sessionUpdate: 'plan', entries }),
      requestPlanExit: (plan: string, exitSignal: AbortSignal) => requestPlanExit(session, call, plan, exitSignal),
      askQuestions: async (questions: UserQuestion[], askSignal: AbortSignal) =>
        readQuestionsAnswer(await session.askClient(questionsRequest(session.id, call.callId, questions), askSignal), questions.length),
    },
  };
}

async function requestPlanExit(session: Session, call: PreparedCall, plan: string, signal: AbortSignal): Promise<PlanModeExit> {
  const toolCall = {
    toolCallId: call.callId,
    title: 'Ready to implement this plan?',
    kind: 'switch_mode' as const,
    status: 'pending' as const,
    content: [{ type: 'content' as const, content: { type: 'text' as const, text: plan } }],
  };
  const answer = readPlanExitAnswer(await session.askClient(planExitRequest(session.id, toolCall), signal));
  if (answer.nextMode) {
    session.setMode(answer.nextMode);
    return { approved: true, nextMode: answer.nextMode };
  }
  return { approved: false, feedback: answer.cancelled ? 'The question was cancelled.' : answer.feedback };
}
