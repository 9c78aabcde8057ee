// Tiny DOM helpers: elements built from data, never from HTML strings.
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { class?: string; testid?: string; text?: string; title?: string } = {}, children: Array<Node | string | undefined | false> = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.testid) node.dataset.testid = props.testid;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const child of children) if (child) node.append(child);
  return node;
}

export function button(label: string, onClick: () => void, props: { class?: string; testid?: string; title?: string } = {}): HTMLButtonElement {
  const node = el('button', { ...props, text: label });
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatCount(count: number): string {
  return count < 1000 ? String(count) : `${(count / 1000).toFixed(1)}k`;
}

export function relativeTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}
