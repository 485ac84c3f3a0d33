// One write transaction on a SQLite connection, for the event log and the tokens that
// share its file.

import type { DatabaseSync } from 'node:sqlite';

/**
 * Run `work` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back
 * when it throws, and its error is the one thrown. SQLite rolls some failures back itself
 * (a full disk, an I/O error): then there is nothing left to roll back, and a ROLLBACK
 * would throw "no transaction is active" in place of the error that says what happened.
 */
export function immediateTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
