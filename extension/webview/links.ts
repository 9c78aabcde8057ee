// Which link clicks in rendered markdown open a file in the editor. Web links are left to
// VS Code (it opens http(s) and mailto links from webviews itself). Pure: no DOM.

export interface LocalTarget {
  path: string;
  line?: number;
}

const EXTERNAL = /^(https?|mailto|vscode|command):/i;

/**
 * `file:///a/b.ts#L12`, `/a/b.ts:12`, `src/b.ts#L3`, `src/b.ts:3:5` → a path (made absolute
 * against `cwd`) and a 1-based line. Anything else (web links, anchors) → undefined.
 */
export function localTarget(href: string, cwd: string | undefined): LocalTarget | undefined {
  if (!href || href.startsWith('#') || EXTERNAL.test(href)) return undefined;
  let rest = href;
  if (/^file:/i.test(rest)) rest = rest.replace(/^file:\/\//i, '');
  else if (/^[a-z][a-z0-9+.-]*:/i.test(rest) && !/^[a-z]:[\\/]/i.test(rest)) return undefined;
  let line: number | undefined;
  const anchor = /#L(\d+)(?:-L?\d+)?$/.exec(rest);
  if (anchor) {
    line = Number(anchor[1]);
    rest = rest.slice(0, anchor.index);
  } else {
    const suffix = /:(\d+)(?::\d+)?$/.exec(rest);
    if (suffix) {
      line = Number(suffix[1]);
      rest = rest.slice(0, suffix.index);
    }
  }
  rest = safeDecode(rest.split('?')[0]!);
  if (!rest) return undefined;
  const absolute = rest.startsWith('/') || /^[a-z]:[\\/]/i.test(rest);
  const path = absolute || !cwd ? rest : `${cwd.replace(/[\\/]+$/, '')}/${rest.replace(/^\.\//, '')}`;
  return line ? { path, line } : { path };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
