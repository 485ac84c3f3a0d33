// electron-builder.yml, read by electron-builder's own loader and checked against its
// own configuration schema (node_modules/app-builder-lib/scheme.json), plus what the
// app needs from it: the targets per platform, the icons, the appId the main process
// uses as Windows' AppUserModelID, and the bundles it packages.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ID } from '../main/app/startup/app-identity.ts';
import { bundles } from '../scripts/build.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(root, join(root, 'electron-builder.yml'), null);
});

function targets(platform: Configuration['linux'] | Configuration['mac'] | Configuration['win']): string[] {
  const target = platform?.target;
  const list = Array.isArray(target) ? target : target ? [target] : [];
  return list.map((t) => (typeof t === 'string' ? t : t.target));
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('matches scheme.json exactly, without the type coercion electron-builder allows', () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config) ? [] : validate.errors).toEqual([]);
  });

  it('would catch a mistake (the check is not vacuous)', async () => {
    const misspelt = { ...config, linux: { ...config.linux, tagret: ['deb'] } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/configuration\.linux/);
  });

  it('builds AppImage and deb on Linux, dmg on macOS, NSIS on Windows', () => {
    expect(targets(config.linux)).toEqual(['AppImage', 'deb']);
    expect(targets(config.mac)).toEqual(['dmg']);
    expect(targets(config.win)).toEqual(['nsis']);
  });

  it('uses the app id the main process sets as the Windows AppUserModelID', () => {
    expect(config.appId).toBe(APP_ID);
  });

  it('points at icons that exist and have the sizes the platforms need', () => {
    for (const icon of [config.linux?.icon, config.mac?.icon, config.win?.icon]) {
      expect(typeof icon).toBe('string');
      expect(existsSync(join(root, icon as string)), String(icon)).toBe(true);
    }
    // A PNG's width and height are the first fields of its IHDR chunk.
    const png = readFileSync(join(root, config.mac!.icon as string));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    // An ICO entry stores 256 as 0: the Windows installer needs a 256x256 image.
    const ico = readFileSync(join(root, config.win!.icon as string));
    const widths = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16]);
    expect(widths).toContain(0);
  });

  it('packages the bundles npm run build writes, and the tray icons', () => {
    // The loader turns the list into `{ filter: [...] }` entries.
    const files = (config.files as Array<string | { filter?: string | string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : [f.filter ?? []].flat()));
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/**/*', 'resources/tray/**/*']));
    // Each bundle is one file, or (the server, split so Redis loads only when used) a folder.
    for (const bundle of Object.values(bundles(join(root, 'dist')))) expect((bundle.outfile ?? bundle.outdir)!.startsWith(join(root, 'dist'))).toBe(true);
    // The server runs from outside the archive, with dist/package.json beside it (ESM scope, version).
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['dist/server/**', 'dist/package.json']));
  });
});
