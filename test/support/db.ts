import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../src/store/connection';

/** A fresh database on the run's MongoDB-protocol server; drop() removes it. */
export async function freshDatabase(): Promise<Database & { drop(): Promise<void> }> {
  const base = process.env.MONGODB_URI;
  if (!base) throw new Error('MONGODB_URI is not set: test/support/global-setup.ts did not run');
  const url = new URL(base);
  url.pathname = `/t_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase(url.toString());
  return {
    ...db,
    async drop() {
      await db.connection.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
