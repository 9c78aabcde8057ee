// A session's lifecycle as an explicit table, so an event arriving in the wrong state is a
// loud, typed error instead of a quiet inconsistency.

export type SessionState = 'idle' | 'running' | 'awaiting_permission' | 'cancelling' | 'closed';
export type SessionEvent = 'prompt' | 'permission_requested' | 'permission_resolved' | 'cancel' | 'turn_finished' | 'close';

/** state -> event -> next state; a missing entry is an invalid transition. */
export const TRANSITIONS: Readonly<Record<SessionState, Partial<Record<SessionEvent, SessionState>>>> = {
  idle: {
    prompt: 'running',
    cancel: 'idle', // session/cancel is a notification that may arrive after the turn ended
    close: 'closed',
  },
  running: {
    permission_requested: 'awaiting_permission',
    cancel: 'cancelling',
    turn_finished: 'idle',
    close: 'closed',
  },
  awaiting_permission: {
    permission_requested: 'awaiting_permission', // parallel read-only calls may each ask
    permission_resolved: 'running',
    cancel: 'cancelling',
    turn_finished: 'idle', // a turn can fail while a question is still open
    close: 'closed',
  },
  cancelling: {
    permission_requested: 'cancelling', // raced the cancel; it is answered as cancelled
    permission_resolved: 'cancelling',
    cancel: 'cancelling',
    turn_finished: 'idle',
    close: 'closed',
  },
  closed: {
    close: 'closed',
  },
};

export class InvalidTransitionError extends Error {
  constructor(
    readonly state: SessionState,
    readonly event: SessionEvent,
  ) {
    super(`session cannot handle "${event}" while ${state}`);
    this.name = 'InvalidTransitionError';
  }
}

export function canTransition(state: SessionState, event: SessionEvent): boolean {
  return TRANSITIONS[state][event] !== undefined;
}

export function transition(state: SessionState, event: SessionEvent): SessionState {
  const next = TRANSITIONS[state][event];
  if (next === undefined) throw new InvalidTransitionError(state, event);
  return next;
}

export type StateListener = (next: SessionState, previous: SessionState, event: SessionEvent) => void;

/**
 * The table plus a count of open permission questions: with several open, resolving one
 * leaves the session awaiting the rest.
 */
export class SessionStateMachine {
  private current: SessionState;
  private openQuestions = 0;
  private readonly listeners = new Set<StateListener>();

  constructor(initial: SessionState = 'idle') {
    this.current = initial;
  }

  get state(): SessionState {
    return this.current;
  }

  get pendingPermissions(): number {
    return this.openQuestions;
  }

  can(event: SessionEvent): boolean {
    return canTransition(this.current, event);
  }

  /** Applies the event; throws InvalidTransitionError (changing nothing) if it is not allowed. */
  send(event: SessionEvent): SessionState {
    const previous = this.current;
    const next = transition(previous, event);
    if (event === 'permission_requested') this.openQuestions += 1;
    if (event === 'permission_resolved') {
      this.openQuestions = Math.max(0, this.openQuestions - 1);
      if (previous === 'awaiting_permission' && this.openQuestions > 0) return previous;
    }
    if (next !== 'running' && next !== 'awaiting_permission' && next !== 'cancelling') this.openQuestions = 0;
    this.current = next;
    if (next !== previous) for (const listener of [...this.listeners]) listener(next, previous, event);
    return next;
  }

  /** Calls `listener` after every state change; returns the unsubscribe function. */
  onChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
