// Always visible in the header: each server's connection (live, connecting,
// reconnecting in N s, failed with the reason). A polite live region, so a screen
// reader hears "reconnecting" and "live" without the focus moving.

import type { BridgeCapabilities, ServerStatus } from '../../main/ipc/bridge.ts';
import { connectionStateView } from '../model/topic-board.ts';
import { el } from './element.ts';
import { setParts, userText } from './user-text.ts';

export class ConnectionStatus {
  readonly element: HTMLElement;
  readonly #capabilities: BridgeCapabilities;
  #last = '';

  constructor(capabilities: BridgeCapabilities) {
    this.#capabilities = capabilities;
    this.element = el('div', { class: 'connection-status', attrs: { role: 'status', 'aria-live': 'polite', 'aria-label': 'Connection' } });
  }

  render(servers: readonly ServerStatus[], now: number): void {
    const views = servers.map((s) => ({ server: s, view: connectionStateView(s.connection, now) }));
    const signature = views.map((v) => `${v.server.server}:${v.view.text}`).join('|');
    if (signature === this.#last) return;
    this.#last = signature;
    if (views.length === 0) {
      this.element.replaceChildren(el('span', { class: 'conn conn-closed', text: 'No servers configured' }));
      return;
    }
    this.element.replaceChildren(
      ...views.map(({ server, view }) => {
        const text = el('span', { class: 'conn-text' });
        setParts(text, view.parts);
        const item = el('span', { class: `conn conn-${view.kind}`, attrs: { 'data-server': server.server, title: server.url } }, [
          el('span', { class: 'conn-dot', attrs: { 'aria-hidden': 'true' } }),
          el('span', { class: 'conn-label' }, [userText(server.label), ': ']),
          text,
        ]);
        if (view.kind === 'failed' && this.#capabilities.host === 'web') {
          item.append(' ', el('a', { text: 'Sign in', attrs: { href: '/login' } }));
        }
        return item;
      }),
    );
  }
}
