// `node --import ./test/electron-fake/register.ts dist/main/main.js`: resolves the
// `electron` import of the built main bundle (and of electron-store inside it) to the
// fake in electron.ts, so the real bundle runs under plain Node.
import { registerHooks } from 'node:module';

const fake = new URL('./electron.ts', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: fake, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
