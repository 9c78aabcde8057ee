import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidTransitionError,
  SessionStateMachine,
  transition,
  TRANSITIONS,
  type SessionEvent,
  type SessionState,
} from '../../../server/session/state-machine';

const STATES = Object.keys(TRANSITIONS) as SessionState[];
const EVENTS: SessionEvent[] = ['prompt', 'permission_requested', 'permission_resolved', 'cancel', 'turn_finished', 'close'];

describe('transition', () => {
  it('follows a full turn with a permission question and a cancel', () => {
    let state: SessionState = 'idle';
    const path: SessionState[] = [];
    for (const event of ['prompt', 'permission_requested', 'permission_resolved', 'cancel', 'turn_finished', 'close'] as const) {
      state = transition(state, event);
      path.push(state);
    }
    assert.deepEqual(path, ['running', 'awaiting_permission', 'running', 'cancelling', 'idle', 'closed']);
  });

  it('throws a typed error for transitions the table does not allow', () => {
    const invalid: Array<[SessionState, SessionEvent]> = [
      ['idle', 'permission_requested'],
      ['idle', 'turn_finished'],
      ['running', 'prompt'],
      ['running', 'permission_resolved'],
      ['awaiting_permission', 'prompt'],
      ['cancelling', 'prompt'],
      ['closed', 'prompt'],
      ['closed', 'cancel'],
    ];
    for (const [state, event] of invalid) {
      assert.throws(
        () => transition(state, event),
        (error: unknown) => error instanceof InvalidTransitionError && error.state === state && error.event === event && error.message.includes(event),
      );
    }
  });

  it('lets every state close, and leaves closed only by closing again', () => {
    for (const state of STATES) assert.equal(transition(state, 'close'), 'closed');
    const fromClosed = EVENTS.filter((event) => TRANSITIONS.closed[event] !== undefined);
    assert.deepEqual(fromClosed, ['close']);
  });
});

describe('SessionStateMachine', () => {
  it('tells listeners about real changes only, and stops after unsubscribing', () => {
    const machine = new SessionStateMachine();
    const seen: string[] = [];
    const stop = machine.onChange((next, previous, event) => seen.push(`${previous}-${event}->${next}`));
    machine.send('cancel'); // a late cancel while idle changes nothing
    machine.send('prompt');
    machine.send('turn_finished');
    stop();
    machine.send('prompt');
    assert.deepEqual(seen, ['idle-prompt->running', 'running-turn_finished->idle']);
    assert.equal(machine.state, 'running');
  });

  it('keeps its state when an event is refused', () => {
    const machine = new SessionStateMachine();
    assert.equal(machine.can('turn_finished'), false);
    assert.throws(() => machine.send('turn_finished'), InvalidTransitionError);
    assert.equal(machine.state, 'idle');
  });

  it('awaits permission until every parallel question is answered', () => {
    const machine = new SessionStateMachine();
    machine.send('prompt');
    machine.send('permission_requested');
    machine.send('permission_requested');
    assert.equal(machine.pendingPermissions, 2);
    assert.equal(machine.send('permission_resolved'), 'awaiting_permission');
    assert.equal(machine.send('permission_resolved'), 'running');
    assert.equal(machine.pendingPermissions, 0);
  });

  it('forgets open questions when the turn ends', () => {
    const machine = new SessionStateMachine();
    machine.send('prompt');
    machine.send('permission_requested');
    machine.send('cancel');
    machine.send('turn_finished');
    assert.equal(machine.pendingPermissions, 0);
    machine.send('prompt');
    machine.send('permission_requested');
    assert.equal(machine.send('permission_resolved'), 'running');
  });
});
