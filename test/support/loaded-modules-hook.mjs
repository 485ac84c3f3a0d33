// `node --import` this to record every module the process resolves; at exit the
// URLs are written to $HERALD_LOADED_MODULES_FILE, one per line.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const loaded = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    loaded.push(result.url);
    return result;
  },
});
process.on('exit', () => writeFileSync(process.env.HERALD_LOADED_MODULES_FILE, loaded.join('\n')));
