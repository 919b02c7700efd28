/**
 * One more instance of the tool as its own process, for tests of several instances on one database: the real
 * app (buildApp, as main.ts wires it, with the bulk issuance timer started) listening on a free port.
 * Forked by test/support/instances.ts with INSTANCE_DB_URL and the tool's env; it tells its parent over IPC
 * when it listens ({ kind: 'ready', port }) and after each batch of credentials it stores ({ kind: 'stored', n }),
 * so a test can kill it at a known point; asked { kind: 'active?' } it answers how many bulk jobs it is running.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/http/middleware/request-context';
import { openDatabase } from '../../src/store/connection';

async function main() {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const db = await openDatabase(process.env.INSTANCE_DB_URL!);
  const built = await buildApp({ config: loaded.config, db, logger: createLogger('warn') });
  const credentials = built.issuance.deps.credentials;
  const insertMany = credentials.insertManyIssued.bind(credentials);
  credentials.insertManyIssued = async (records) => {
    const results = await insertMany(records);
    process.send!({ kind: 'stored', n: results.filter((r) => r.stored).length });
    return results;
  };
  const server = http.createServer(built.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  built.bulkIssuance.start(500);
  process.on('message', (m: { kind: string }) => {
    if (m.kind === 'active?') process.send!({ kind: 'active', n: built.bulkIssuance.active });
  });
  process.send!({ kind: 'ready', port: (server.address() as AddressInfo).port });
}

main().catch((err) => {
  console.error('instance failed to start:', err);
  process.exit(1);
});
