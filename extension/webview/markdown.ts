// Agent markdown to safe HTML: markdown-it without raw HTML, then DOMPurify, then a Copy
// button on every code block.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false });

export function renderMarkdown(target: HTMLElement, text: string, onCopy: (code: string) => void): void {
  target.innerHTML = DOMPurify.sanitize(md.render(text));
  for (const pre of target.querySelectorAll('pre')) {
    const button = document.createElement('button');
    button.className = 'copy';
    button.textContent = 'Copy';
    button.title = 'Copy code';
    button.addEventListener('click', () => {
      onCopy(pre.querySelector('code')?.textContent ?? pre.textContent ?? '');
      button.textContent = 'Copied';
      setTimeout(() => (button.textContent = 'Copy'), 1200);
    });
    pre.prepend(button);
  }
}
