/**
 * A MongoDB-protocol server for the demo, chosen as the test suite does (test/support/global-setup.ts):
 * MONGODB_URI when set (the demo then uses a database of its own on it and drops it at the end); else the local
 * server `npm start` uses (src/store/embedded.ts: FerretDB, else a downloaded MongoDB) on temporary files.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { startLocalDatabase, waitForServer } from '../../src/store/embedded';

export interface DemoDatabase {
  /** Connection string of the demo's own, fresh database. */
  uri: string;
  /** What serves it, for the start-up message. */
  description: string;
  stop(): Promise<void>;
}

const withDatabase = (uri: string, name: string) => {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
};

async function dropDatabase(uri: string) {
  const c = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 2_000 }).asPromise();
  try {
    await c.dropDatabase();
  } finally {
    await c.close();
  }
}

export async function startDemoDatabase(log: (line: string) => void): Promise<DemoDatabase> {
  const name = `ob3_demo_${randomBytes(4).toString('hex')}`;
  if (process.env.MONGODB_URI) {
    const uri = withDatabase(process.env.MONGODB_URI, name);
    await waitForServer(uri, 10_000);
    return {
      uri,
      description: `MONGODB_URI (database ${name}, dropped when the demo stops)`,
      stop: () => dropDatabase(uri).catch(() => undefined),
    };
  }

  const local = await startLocalDatabase({ database: name, tmpPrefix: 'ob3-demo-ferretdb-', log });
  return { uri: local.uri, description: `${local.description}, for this demo only`, stop: () => local.stop() };
}
