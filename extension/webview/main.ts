// The panel's webview entry: builds the panel into #app, feeds it the host's messages and says
// `ready` (the host answers with a `reset`, the source of truth after every load).
import type { HostMessage } from '../shared/messages';
import { Host } from './host';
import { Panel } from './panel';
import './styles.css';

const host = new Host();
const panel = new Panel(document.getElementById('app') ?? document.body, host);
window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  if (event.data && typeof event.data === 'object' && 'type' in event.data) panel.receive(event.data);
});
host.post({ type: 'ready' });
