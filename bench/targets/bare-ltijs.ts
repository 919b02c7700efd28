/**
 * Bench target, the reference: a bare ltijs 5.9.9 tool with its own built-in database layer (the global
 * mongoose 7 bundled in node_modules/ltijs/node_modules/mongoose) on its own database of the bench's
 * MongoDB-protocol server, in its own process. Nothing of src/ is loaded here, so the product's ltijs
 * patches (crypto nonce) do not apply to it.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { freePort } from '../../src/store/embedded';
import { profiling, serveTarget, spans, watchHttp } from './serve';

// the mongoose ltijs itself requires (7.x), not the product's 9.x
const ltijsRequire = createRequire(require.resolve('ltijs'));
const ltijsMongoose = ltijsRequire('mongoose') as typeof import('mongoose') & { version: string };

const { Provider } = require('ltijs') as { Provider: { constructor: new () => any } };

let lti: any = null;
let port = 0;
const indexErrors: string[] = [];

async function start() {
  const url = new URL(process.env.MONGODB_URI!);
  url.pathname = `/bench_ltijs_${randomBytes(4).toString('hex')}`;
  lti = new Provider.constructor();
  lti.setup(
    'bench-bare-ltijs-encryption-key-0123456789',
    { url: url.toString(), ...(profiling ? { connection: { monitorCommands: true } } : {}) },
    {
      appRoute: '/launch',
      loginRoute: '/login',
      keysetRoute: '/keys',
      tokenMaxAge: 60,
      cookies: { secure: false, sameSite: 'Lax' },
    },
  );
  lti.onConnect((_token: unknown, _req: unknown, res: { send(body: string): void }) => res.send('ok'));
  // mongoose 7 builds the schemas' indexes when it connects; FerretDB refuses the TTL ones (expires: …).
  // Those failures are reported on each model's 'index' event and do not stop ltijs: record them.
  for (const name of ltijsMongoose.modelNames()) {
    ltijsMongoose.model(name).on('index', (err?: Error) => {
      if (err) indexErrors.push(`${name}: ${err.message.split('\n')[0]}`);
    });
  }
  port = await freePort();
  await lti.deploy({ port, silent: true });
  if (profiling) spans.watchClient(ltijsMongoose.connection.getClient());
  watchHttp();
  return { url: `http://127.0.0.1:${port}`, mongoose: ltijsMongoose.version, database: url.pathname.slice(1) };
}

serveTarget({
  handlers: {
    start,
    async register(arg) {
      await lti.registerPlatform(arg);
      return true;
    },
    /** Which indexes ltijs actually got on this server, and which index builds failed. */
    async indexes() {
      await Promise.all(
        ltijsMongoose.modelNames().map((n) =>
          ltijsMongoose
            .model(n)
            .init()
            .catch(() => undefined),
        ),
      );
      const db = ltijsMongoose.connection.db!;
      const out: Record<string, string[]> = {};
      for (const c of await db.listCollections().toArray())
        out[c.name] = (await db.collection(c.name).indexes()).map(
          (i) => `${JSON.stringify(i.key)}${i.expireAfterSeconds !== undefined ? ` ttl=${i.expireAfterSeconds}` : ''}${i.unique ? ' unique' : ''}`,
        );
      // indexes the schemas ask for (mongoose turns `expires` into expireAfterSeconds)
      const asked = ltijsMongoose.modelNames().flatMap((n) =>
        ltijsMongoose
          .model(n)
          .schema.indexes()
          .map(([key, opts]) => ({
            collection: ltijsMongoose.model(n).collection.name,
            key: JSON.stringify(key),
            ttl: (opts as { expireAfterSeconds?: number }).expireAfterSeconds !== undefined,
          })),
      );
      return { indexes: out, indexErrors, asked };
    },
  },
  db: () => ltijsMongoose.connection.db!,
  async stop() {
    if (lti) {
      await ltijsMongoose.connection.dropDatabase().catch(() => undefined);
      await lti.close({ silent: true });
    }
  },
});
