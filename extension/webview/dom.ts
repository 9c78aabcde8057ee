// Tiny DOM helpers: elements are built from data, never from HTML strings (the CSP and
// DOMPurify guard only the markdown path, so nothing else may parse HTML).

export type Child = Node | string | undefined | null | false;

export interface Props {
  class?: string;
  testid?: string;
  text?: string;
  title?: string;
  /** data-* attributes, e.g. { status: 'completed' } → data-status="completed". */
  data?: Record<string, string>;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.testid) node.dataset.testid = props.testid;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const [key, value] of Object.entries(props.data ?? {})) node.dataset[key] = value;
  for (const [key, value] of Object.entries(props.attrs ?? {})) node.setAttribute(key, value);
  for (const child of children) if (child !== undefined && child !== null && child !== false) node.append(child);
  return node;
}

export interface ButtonProps extends Props {
  /** Inside a <summary>, a click must not also fold the section. */
  inSummary?: boolean;
}

export function button(label: Child | Child[], onClick: (event: MouseEvent) => void, props: ButtonProps = {}): HTMLButtonElement {
  const node = el('button', props, Array.isArray(label) ? label : [label]);
  node.type = 'button';
  node.addEventListener('click', (event) => {
    if (props.inSummary) {
      event.preventDefault();
      event.stopPropagation();
    }
    onClick(event);
  });
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A 16×16 stroked icon from path data, coloured by the text around it. */
export function icon(paths: readonly string[], className = 'icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  for (const d of paths) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** The element's text field is being typed in: single-key shortcuts must not fire. */
export function isTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type !== 'button') || target instanceof HTMLSelectElement;
}

/** Disables every button under `root` (an answer was sent; the host will remove the card). */
export function disableButtons(root: HTMLElement): void {
  for (const node of root.querySelectorAll('button')) node.disabled = true;
}
