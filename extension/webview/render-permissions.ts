// Pending permission prompts, drawn above the input and keyed by request id: a card that
// stays pending is never rebuilt, so what the user typed into it survives other prompts
// coming and going. The first pending prompt takes the focus unless the user is in one.
import type { RequestPermissionRequest } from '@agentclientprotocol/sdk';
import type { PendingPermission } from '../shared/messages';
import { el } from './dom';
import { installPermissionKeys, numberedButton, permissionFrame, type Respond } from './permission-frame';
import { permissionKind } from './permission-kind';
import { planExitCard, questionsCard } from './render-questions';
import { commandOf, renderToolContent, type OpenLocation } from './render-tool';

export type SendAnswer = (requestId: string, answer: Parameters<Respond>[0]) => void;

export class PermissionsView {
  private readonly cards = new Map<string, HTMLElement>();

  constructor(
    private readonly container: HTMLElement,
    private readonly send: SendAnswer,
    private readonly openLocation: OpenLocation,
    /** Where the focus goes when the last prompt leaves while it was in one. */
    private readonly focusFallback: () => void,
  ) {}

  sync(permissions: readonly PendingPermission[]): void {
    const hadFocus = this.container.contains(document.activeElement);
    const wanted = new Set(permissions.map((permission) => permission.requestId));
    for (const [requestId, card] of this.cards) {
      if (wanted.has(requestId)) continue;
      card.remove();
      this.cards.delete(requestId);
    }
    let added = false;
    for (const permission of permissions) {
      if (this.cards.has(permission.requestId)) continue;
      // Only new cards are appended: moving a card that holds the focus would drop it.
      const card = this.build(permission);
      this.cards.set(permission.requestId, card);
      this.container.append(card);
      added = true;
    }
    this.container.classList.toggle('hidden', permissions.length === 0);
    if (this.container.contains(document.activeElement)) return;
    if (added || hadFocus) this.focusFirst(hadFocus);
  }

  private focusFirst(hadFocus: boolean): void {
    const first = this.container.querySelector<HTMLElement>('.permission:not(.answered) :is(button, textarea):not([disabled])');
    if (first) first.focus({ preventScroll: false });
    else if (hadFocus) this.focusFallback();
  }

  private build({ requestId, request }: PendingPermission): HTMLElement {
    const respond: Respond = (answer) => this.send(requestId, answer);
    switch (permissionKind(request)) {
      case 'questions':
        return questionsCard(request, respond);
      case 'plan-exit':
        return planExitCard(request, respond);
      case 'tool':
        return toolPermissionCard(request, respond, this.openLocation);
    }
  }
}

function toolPermissionCard(request: RequestPermissionRequest, send: Respond, openLocation: OpenLocation): HTMLElement {
  const { toolCall } = request;
  const frame = permissionFrame('tool', toolCall.title ?? 'Allow this tool call?', toolCall.kind ?? 'other', send);
  const command = commandOf(toolCall.rawInput);
  if (command !== undefined) frame.body.append(el('pre', { class: 'command', text: `$ ${command}` }));
  for (const content of toolCall.content ?? []) frame.body.append(renderToolContent(content, openLocation));
  request.options.forEach((option, index) => {
    const rejecting = option.kind.startsWith('reject');
    frame.actions.append(
      numberedButton(index + 1, option.name, () => frame.respond({ optionId: option.optionId }), {
        class: rejecting ? 'secondary' : option.kind === 'allow_always' ? 'secondary' : 'primary',
        testid: `option-${option.optionId}`,
        title: option.name,
      }),
    );
  });
  installPermissionKeys(frame, frame.respond);
  return frame.node;
}
