import Database from 'better-sqlite3';
import { keepAlive } from '../../src/core/store/sqlite/keep-alive.js';

/**
 * A better-sqlite3 database for looking under the store, whose statements are never collected
 * (see src/core/store/sqlite/keep-alive.ts: on Node 24.19+ a collected Statement can abort the
 * test process). Use `prepare`, not `pragma`, which makes statements this cannot keep.
 */
export function openRawSqlite(file: string, options?: Database.Options): Database.Database {
  const db = keepAlive(new Database(file, options));
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => keepAlive(prepare(source))) as typeof db.prepare;
  return db;
}
