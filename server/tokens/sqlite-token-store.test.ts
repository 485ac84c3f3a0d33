// The SQLite token store's writes when the database cannot grow: SQLite rolls the
// transaction back itself, and the error the caller sees must be the one that says so.

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogFile } from '../store/sqlite-open.ts';
import { prepareDatabase } from '../store/sqlite-schema.ts';
import { emptyScopes } from './scopes.ts';
import { LOG_FILE, SqliteTokenStore } from './sqlite-token-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SQLite token store on a full database', () => {
  it('reports the full database, not a failed ROLLBACK, and keeps what was written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-tokens-full-'));
    dirs.push(dir);
    const { db } = openLogFile(join(dir, LOG_FILE));
    prepareDatabase(db);
    const store = new SqliteTokenStore(db, { readOnly: null, where: dir });
    await store.add({ name: 'first', hash: 'h0', scopes: { ...emptyScopes(), publish: ['**'] }, createdAt: 1, expiresAt: null, defaultTopic: null, rateLimit: null });
    // The file may not grow by a single page from here on.
    const { page_count } = db.prepare('PRAGMA page_count').get() as { page_count: number };
    db.exec(`PRAGMA max_page_count = ${page_count}`);
    let failure: unknown = null;
    for (let i = 0; i < 500 && failure === null; i++) {
      try {
        await store.add({ name: `t${i}`, hash: 'h'.repeat(2000), scopes: { ...emptyScopes(), publish: ['**'] }, createdAt: 2, expiresAt: null, defaultTopic: null, rateLimit: null });
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/full/);
    expect(db.isTransaction).toBe(false);
    expect((await store.list()).map((t) => t.name)).toContain('first');
    await store.close();
  });
});
