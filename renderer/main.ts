// Entry point of the history window. Inside the desktop app the preload has exposed a
// Bridge (main/app/ipc/bridge.ts, BRIDGE_GLOBAL); served by `herald serve`, there is none,
// and the window talks to the server that served it over HTTP and SSE.

import { type Bridge, BRIDGE_GLOBAL } from '../main/app/ipc/bridge.ts';
import { isAppView, startApp } from './app.ts';
import { createWebBridge } from './bridge/web-bridge.ts';

function webBridge(): Bridge {
  return createWebBridge({
    baseUrl: window.location.origin,
    label: window.location.host,
    createEventSource: (url) => new EventSource(url),
    fetch: window.fetch.bind(window),
    timers: {
      now: () => Date.now(),
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (handle) => window.clearTimeout(handle as number),
    },
    storage: window.localStorage,
  });
}

const injected = (window as unknown as Record<string, Bridge | undefined>)[BRIDGE_GLOBAL];
const root = document.getElementById('app');
if (!root) throw new Error('index.html must have an element with id "app"');
// The view is kept in the address (`#view=events`), so a reload or a bookmark opens it.
const view = new URLSearchParams(window.location.hash.slice(1)).get('view');
startApp(root, injected ?? webBridge(), {
  now: () => Date.now(),
  frame: (fn) => requestAnimationFrame(fn),
  ...(isAppView(view) ? { initialView: view } : {}),
  onViewChange: (next) => window.history.replaceState(null, '', `#view=${next}`),
});
