// One click listener for everything rendered from markdown: Copy buttons on code blocks and
// links to files. Delegation means re-rendered markdown needs no listeners of its own.
import { localTarget } from './links';

export interface ContentActions {
  copy(text: string): void;
  openLocation(path: string, line?: number): void;
  /** The session's folder, for relative links. */
  cwd(): string | undefined;
}

export function handleContentClicks(root: HTMLElement, actions: ContentActions): void {
  root.addEventListener('click', (event) => {
    const target = event.target as Element | null;
    const copy = target?.closest('button.copy-code');
    if (copy) return copyCode(copy as HTMLButtonElement, actions);
    const link = target?.closest('a[href]');
    if (!link) return;
    const local = localTarget(link.getAttribute('href') ?? '', actions.cwd());
    if (!local) return; // web links: VS Code opens them
    event.preventDefault();
    actions.openLocation(local.path, local.line);
  });
}

function copyCode(button: HTMLButtonElement, actions: ContentActions): void {
  const code = button.closest('.code-block')?.querySelector('pre code, pre');
  actions.copy(code?.textContent ?? '');
  button.textContent = 'Copied';
  button.classList.add('done');
  setTimeout(() => {
    button.textContent = 'Copy';
    button.classList.remove('done');
  }, 1200);
}
