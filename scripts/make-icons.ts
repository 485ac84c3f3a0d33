// Writes the app and tray icons (scripts/icons/icon-set.ts) into the project. The
// files are committed; run this after changing the artwork:
//   node scripts/make-icons.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iconSet } from './icons/icon-set.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const file of iconSet()) {
  const target = join(root, file.path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.bytes);
  console.log(`${file.path} (${file.bytes.length} bytes)`);
}
