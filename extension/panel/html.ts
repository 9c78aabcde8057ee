// The webview's HTML: one script and one stylesheet from dist/webview, under a strict CSP
// whose nonce changes on every load.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export function panelHtml(webview: vscode.Webview, webviewRoot: vscode.Uri, uriJoin: (base: vscode.Uri, file: string) => vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(uriJoin(webviewRoot, 'main.js'));
  const style = webview.asWebviewUri(uriJoin(webviewRoot, 'main.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} https: data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${style}">
<title>Tether</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
