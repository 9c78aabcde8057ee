// Agent markdown to safe DOM: markdown-it without raw HTML, then DOMPurify. A streaming
// message keeps the part before its last safe cut (see markdown-split.ts) as finished DOM and
// re-renders only the tail, so a delta costs the same however long the message has grown.
// Copy buttons and link clicks are handled by one delegated listener (content-actions.ts).
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { el } from './dom';
import { lastSafeCut } from './markdown-split';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
const PURIFY = { RETURN_DOM_FRAGMENT: true as const, FORBID_ATTR: ['style'] };

// Table alignment comes as style attributes, which the webview's CSP refuses (and reports
// even while parsing): it becomes a class instead.
for (const rule of ['th_open', 'td_open'] as const) {
  md.renderer.rules[rule] = (tokens, index, options, _env, self) => {
    const token = tokens[index]!;
    const align = /text-align:\s*(\w+)/.exec(String(token.attrGet('style') ?? ''))?.[1];
    if (align) {
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      token.attrJoin('class', `align-${align}`);
    }
    return self.renderToken(tokens, index, options);
  };
}

export function markdownFragment(text: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(md.render(text), PURIFY);
  for (const pre of fragment.querySelectorAll('pre')) decorateCodeBlock(pre);
  return fragment;
}

/** A bar over each code block with its language and a Copy button. */
function decorateCodeBlock(pre: HTMLPreElement): void {
  const language = /\blanguage-([\w+#.-]+)/.exec(pre.querySelector('code')?.className ?? '')?.[1] ?? '';
  const copy = el('button', { class: 'copy-code', text: 'Copy', title: 'Copy to clipboard', testid: 'copy-code' });
  copy.type = 'button';
  const block = el('div', { class: 'code-block' }, [el('div', { class: 'code-bar' }, [el('span', { class: 'code-lang', text: language }), copy])]);
  pre.replaceWith(block);
  block.append(pre);
}

export class MarkdownView {
  readonly node: HTMLElement;
  private text = '';
  /** Offset in `text` up to which the DOM is final. */
  private cut = 0;
  private readonly tail = el('div', { class: 'md-part' });

  constructor(className: string, testid?: string) {
    this.node = el('div', { class: `markdown ${className}`, testid }, [this.tail]);
  }

  update(text: string): void {
    if (text === this.text) return;
    // Text is only ever appended while streaming; anything else starts over.
    if (!text.startsWith(this.text.slice(0, this.cut))) {
      this.node.replaceChildren(this.tail);
      this.cut = 0;
    }
    this.text = text;
    const cut = lastSafeCut(text, this.cut);
    if (cut > this.cut) {
      const part = el('div', { class: 'md-part' });
      part.append(markdownFragment(text.slice(this.cut, cut)));
      this.tail.before(part);
      this.cut = cut;
    }
    this.tail.replaceChildren(markdownFragment(text.slice(this.cut)));
  }
}
