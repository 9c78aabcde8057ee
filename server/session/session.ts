// One agent session: its settings, history and attached clients, and the queue of prompt turns.
// Every update goes to the log before any client sees it, so a crash never loses what was shown.
import { randomUUID } from 'node:crypto';
import type { RequestPermissionRequest, RequestPermissionResponse, SessionUpdate } from '@agentclientprotocol/sdk';
import type { TetherConfig } from '../config';
import { runTurn } from '../loop/agent-loop';
import type { LoopEvent, TurnStopReason } from '../loop/events';
import { INSTRUCTIONS, PLAN_MODE_REMINDER } from '../loop/instructions';
import type { HistoryItem, UserPart } from '../loop/items';
import { log } from '../log';
import type { ModeId } from '../permissions/modes';
import { SessionRules, type PermissionRule } from '../permissions/session-rules';
import type { ModelProvider } from '../providers/types';
import type { FileAccess, ShellRunner } from '../tools/types';
import type { ClientPort } from './client-port';
import type { SandboxPort } from './command-sandbox';
import { readCommand } from './commands';
import { configOptions, type SandboxChoice } from './config-options';
import type { SessionLogWriter } from './event-log';
import type { LogRecord } from './records';
import { AttachedClients } from './attached-clients';
import { SessionStateMachine } from './state-machine';
import { createTurnHooks } from './turn-hooks';
import { turnMarker, updateForEvent } from './turn-updates';
import { UpdateJournal, type JournalEntry } from './update-journal';
import { UsageMeter } from './usage-meter';

const SHUTDOWN_REASON = 'Interrupted: the Tether server shut down before this tool call ran.';

export interface SessionDeps {
  config: TetherConfig;
  /** Throws ProviderError('not_configured') with what to set when no provider is usable. */
  provider(): ModelProvider;
  models: readonly string[];
  writer: SessionLogWriter;
  local: { files: FileAccess; shell: ShellRunner; sandbox: SandboxPort };
}

export interface SessionState {
  sessionId: string;
  cwd: string;
  additionalDirectories: string[];
  createdAt: string;
  mode: ModeId;
  model: string;
  title?: string;
  sandbox?: SandboxChoice;
  history: HistoryItem[];
  rules: PermissionRule[];
  lastSeq: number;
}

export interface PromptOutcome {
  stopReason: TurnStopReason;
  /** Set when the prompt waited behind another turn. */
  queued: boolean;
}

export class Session {
  readonly id: string;
  readonly cwd: string;
  readonly additionalDirectories: string[];
  readonly createdAt: string;
  readonly rules: SessionRules;
  readonly machine = new SessionStateMachine();
  readonly local: SessionDeps['local'];
  private modeId: ModeId;
  private modelId: string;
  private titleText?: string;
  private sandboxChoice: SandboxChoice;
  private readonly history: HistoryItem[];
  private seq: number;
  private updatedAt = new Date().toISOString();
  private readonly clients: AttachedClients;
  private readonly journal = new UpdateJournal();
  private readonly usage = new UsageMeter();
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private cancelGeneration = 0;
  private active?: { controller: AbortController; port: ClientPort };
  private closed = false;
  private interrupted = false;

  constructor(
    state: SessionState,
    private readonly deps: SessionDeps,
  ) {
    this.id = state.sessionId;
    this.cwd = state.cwd;
    this.additionalDirectories = state.additionalDirectories;
    this.createdAt = state.createdAt;
    this.modeId = state.mode;
    this.modelId = state.model;
    this.titleText = state.title;
    this.sandboxChoice = state.sandbox ?? 'workspace-write';
    this.history = [...state.history];
    this.rules = new SessionRules(state.rules);
    this.seq = state.lastSeq;
    this.local = deps.local;
    this.clients = new AttachedClients(deps.config.permissionTimeoutMs);
  }

  get mode(): ModeId {
    return this.modeId;
  }

  get model(): string {
    return this.modelId;
  }

  /** Whether the user opted this session's commands out of the sandbox. */
  get fullAccess(): boolean {
    return this.sandboxChoice === 'full-access';
  }

  get title(): string | undefined {
    return this.titleText;
  }

  /** TETHER_HOME, where the project and user permission rules live. */
  get home(): string {
    return this.deps.config.home;
  }

  get lastUpdatedAt(): string {
    return this.updatedAt;
  }

  get isBusy(): boolean {
    return this.active !== undefined || this.waiting > 0;
  }

  attach(port: ClientPort): void {
    this.clients.attach(port);
  }

  detach(portId: string): void {
    this.clients.detach(portId);
  }

  get attachedPorts(): number {
    return this.clients.size;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** What a reattaching client missed, or undefined when the journal no longer holds all of it. */
  updatesAfter(afterSeq: number): JournalEntry[] | undefined {
    if (afterSeq >= this.seq) return [];
    return this.journal.after(afterSeq);
  }

  /** Seeds the journal with updates already in the log (on load), oldest first. */
  remember(entries: JournalEntry[]): void {
    for (const entry of entries) this.journal.add(entry);
  }

  configOptions() {
    return configOptions(this.modeId, this.modelId, this.deps.models, this.sandboxChoice);
  }

  /** Logs an update, then sends it to every attached client (but `except`). */
  publish(update: SessionUpdate, except?: ClientPort): void {
    // Late work (a deferred announcement, a straggling event) after close has nobody to tell.
    if (this.closed) return;
    this.seq += 1;
    this.updatedAt = new Date().toISOString();
    this.log({ t: 'update', seq: this.seq, at: this.updatedAt, update });
    this.journal.add({ seq: this.seq, update });
    this.clients.broadcast({ sessionId: this.id, update, _meta: { tether: { seq: this.seq } } }, except);
  }

  log(record: LogRecord): void {
    this.deps.writer.append(record);
  }

  setMode(mode: ModeId): void {
    if (mode === this.modeId) return;
    this.modeId = mode;
    this.log({ t: 'settings', at: new Date().toISOString(), mode });
    this.publish({ sessionUpdate: 'current_mode_update', currentModeId: mode });
    this.publish({ sessionUpdate: 'config_option_update', configOptions: this.configOptions() });
  }

  setModel(model: string): void {
    if (model === this.modelId) return;
    // A stateful provider sees the new model and starts a new chain with a full request.
    log.info(`session ${this.id}: model ${this.modelId} → ${model}; the next request starts a new chain`);
    this.modelId = model;
    this.log({ t: 'settings', at: new Date().toISOString(), model });
    this.publish({ sessionUpdate: 'config_option_update', configOptions: this.configOptions() });
  }

  setSandbox(choice: SandboxChoice): void {
    if (choice === this.sandboxChoice) return;
    this.sandboxChoice = choice;
    log.info(`session ${this.id}: sandbox ${choice}`);
    this.log({ t: 'settings', at: new Date().toISOString(), sandbox: choice });
    this.publish({ sessionUpdate: 'config_option_update', configOptions: this.configOptions() });
  }

  recordRule(rule: PermissionRule): void {
    this.rules.record(rule);
    this.log({ t: 'rule', at: new Date().toISOString(), ...rule });
  }

  /** Takes back a session rule; the log records it so a reload does not bring it back. */
  revokeRule(id: string): boolean {
    const scope = this.rules.removeById(id);
    if (scope === undefined) return false;
    this.log({ t: 'rule_revoked', at: new Date().toISOString(), scope });
    return true;
  }

  /** The client that sent the running prompt, or any attached one if it left. */
  promptingPort(): ClientPort | undefined {
    return this.clients.pick(this.active?.port);
  }

  /** Asks the prompting client, another one if it leaves, or the next to attach. */
  async askClient(request: RequestPermissionRequest, signal: AbortSignal): Promise<RequestPermissionResponse> {
    this.machine.send('permission_requested');
    try {
      return await this.clients.ask(request, signal, () => this.active?.port);
    } finally {
      if (this.machine.state === 'awaiting_permission') this.machine.send('permission_resolved');
    }
  }

  onLoopEvent(event: LoopEvent): void {
    if (event.type === 'history') {
      this.appendHistory(event.item);
      return;
    }
    if (event.type === 'model_call') {
      this.usage.record(event);
      this.publish(this.usage.update(this.modelId));
      return;
    }
    const update = updateForEvent(event);
    if (update) this.publish(update);
    // Tool boundaries are where a crash would hurt most: make them durable.
    if (event.type === 'tool_done') this.deps.writer.flushInBackground();
  }

  /** Queues a prompt behind any running turn; never drops it. */
  prompt(input: UserPart[], port: ClientPort): Promise<PromptOutcome> {
    const command = readCommand(input);
    const parts = command.parts;
    const queued = this.isBusy;
    const generation = this.cancelGeneration;
    this.waiting += 1;
    const run = async (): Promise<PromptOutcome> => {
      this.waiting -= 1;
      if (generation !== this.cancelGeneration) return { stopReason: 'cancelled', queued };
      if (command.mode) this.setMode(command.mode);
      return { stopReason: await this.runPrompt(parts, port), queued };
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once the running turn and every queued prompt are done. */
  whenIdle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  closeLog(): void {
    this.closed = true;
    this.deps.writer.close();
  }

  /** Stops the running turn and every queued prompt. */
  cancel(): void {
    this.stop();
  }

  /** Stops everything because the server is going away; the log calls the turn interrupted. */
  interrupt(): void {
    this.interrupted = true;
    this.stop(SHUTDOWN_REASON);
  }

  private stop(reason?: string): void {
    this.cancelGeneration += 1;
    if (!this.active) return;
    if (this.machine.state !== 'cancelling') this.machine.send('cancel');
    this.active.controller.abort(reason);
  }

  private appendHistory(item: HistoryItem): void {
    this.history.push(item);
    this.log({ t: 'history', item });
  }

  private async runPrompt(parts: UserPart[], port: ClientPort): Promise<TurnStopReason> {
    const provider = this.deps.provider();
    const controller = new AbortController();
    const turnId = randomUUID();
    this.active = { controller, port };
    this.machine.send('prompt');
    this.log({ t: 'turn_start', turnId, at: new Date().toISOString() });
    this.publish(turnMarker({ state: 'running', turnId }));
    let stopReason = 'error';
    try {
      this.acceptUserInput(parts, port);
      stopReason = await runTurn({
        provider,
        conversationId: this.id,
        model: this.modelId,
        instructions: INSTRUCTIONS,
        cwd: this.cwd,
        history: this.history,
        maxTurnRequests: this.deps.config.maxTurnRequests,
        signal: controller.signal,
        hooks: createTurnHooks(this, controller.signal),
      });
      return stopReason as TurnStopReason;
    } finally {
      this.closeDanglingToolCalls();
      const endReason = this.interrupted ? 'interrupted' : stopReason;
      this.log({ t: 'turn_end', turnId, at: new Date().toISOString(), stopReason: endReason });
      this.publish(turnMarker({ state: 'idle', turnId, stopReason: endReason }));
      this.deps.writer.flush();
      this.active = undefined;
      this.machine.send('turn_finished');
    }
  }

  private acceptUserInput(parts: UserPart[], port: ClientPort): void {
    for (const part of parts) {
      const content = part.type === 'text' ? { type: 'text' as const, text: part.text } : userPartContent(part);
      this.publish({ sessionUpdate: 'user_message_chunk', content }, port);
    }
    const reminder: UserPart[] = this.modeId === 'plan' ? [{ type: 'text', text: PLAN_MODE_REMINDER }] : [];
    this.appendHistory({ type: 'user', parts: [...parts, ...reminder] });
    if (!this.titleText) this.setTitle(parts);
  }

  private setTitle(parts: UserPart[]): void {
    const text = parts.find((part) => part.type === 'text')?.text.trim().split('\n')[0];
    if (!text) return;
    this.titleText = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    this.log({ t: 'settings', at: new Date().toISOString(), title: this.titleText });
    this.publish({ sessionUpdate: 'session_info_update', title: this.titleText, updatedAt: this.updatedAt });
  }

  /** After a fatal error the model's last tool calls may lack results; the next request would be invalid without them. */
  private closeDanglingToolCalls(): void {
    const answered = new Set(this.history.filter((item) => item.type === 'tool_result').map((item) => item.callId));
    const last = [...this.history].reverse().find((item) => item.type === 'assistant');
    if (!last || last.type !== 'assistant') return;
    for (const call of last.toolCalls) {
      if (answered.has(call.id)) continue;
      this.publish({ sessionUpdate: 'tool_call_update', toolCallId: call.id, status: 'failed' });
      this.appendHistory({ type: 'tool_result', callId: call.id, name: call.name, output: 'The turn ended before this call ran.', isError: true });
    }
  }
}

function userPartContent(part: Exclude<UserPart, { type: 'text' }>) {
  if (part.type === 'image') return { type: 'image' as const, mimeType: part.mimeType, data: part.data };
  return { type: 'resource' as const, resource: { uri: part.uri, text: part.text, mimeType: part.mimeType ?? null } };
}
