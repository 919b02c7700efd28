/**
 * A MongoDB-protocol server for the demo, chosen as the test suite does (test/support/global-setup.ts):
 * MONGODB_URI when set (the demo then uses a database of its own on it and drops it at the end); else FerretDB
 * from .ci/bin/ferretdb, built first with .ci/install-ferretdb.sh when Go is available, on a temporary directory;
 * else mongodb-memory-server (which downloads MongoDB once).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import { buildFerretDbIfMissing, FERRETDB_BIN, startFerretDb, waitForServer } from '../../test/support/ferretdb';

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

export async function startDemoDatabase(root: string, log: (line: string) => void): Promise<DemoDatabase> {
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

  if (buildFerretDbIfMissing(log)) {
    const ferret = await startFerretDb({ database: name, tmpPrefix: 'ob3-demo-ferretdb-' });
    return {
      uri: ferret.uri,
      description: `FerretDB ${path.relative(root, FERRETDB_BIN)} on 127.0.0.1:${ferret.port} (SQLite files in ${ferret.dir}, removed when the demo stops)`,
      stop: () => ferret.stop(),
    };
  }

  log('No MONGODB_URI and no FerretDB: starting mongodb-memory-server (the first run downloads MongoDB)…');
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const server = await MongoMemoryServer.create({ instance: { ip: '127.0.0.1' } });
  return {
    uri: server.getUri(name),
    description: 'mongodb-memory-server (in memory, gone when the demo stops)',
    async stop() {
      await server.stop();
    },
  };
}
