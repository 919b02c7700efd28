import { buildApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './http/middleware/request-context';
import { sweepExpired } from './store/indexes';
import { LoginStateRepository } from './store/login-states';
import { ltijsExpiringCollections } from './store/ltijs-database';
import { openConfiguredDatabase } from './store/open';
import { SessionRepository } from './store/sessions';
import { startSyncScheduler } from './sync/scheduler';
import { WALLET_EXPIRING_COLLECTIONS } from './wallet';

/** Composition root: the only reader of process.env and the only place that listens. */
async function main() {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    console.error('The tool cannot start; fix its configuration:\n' + loaded.problems.map((p) => `  - ${p}`).join('\n'));
    process.exit(1);
  }
  const { config } = loaded;
  const logger = createLogger(config.logLevel);
  loaded.warnings.forEach((w) => logger.warn(w));

  let database;
  try {
    database = await openConfiguredDatabase(config, logger);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const { db } = database;
  const { app, sync, issuance, bulkIssuance } = await buildApp({ config, db, logger });
  const stopScheduler = startSyncScheduler(sync, logger, config.sync.intervalMinutes * 60_000);
  bulkIssuance.start();

  // Expiry in code: FerretDB refuses TTL indexes, and on MongoDB the TTL monitor runs only once a minute.
  const expiring = [...ltijsExpiringCollections(), LoginStateRepository.collection, SessionRepository.collection, ...WALLET_EXPIRING_COLLECTIONS];
  const sweeper = setInterval(() => {
    sweepExpired(db.connection, expiring).catch((err) => logger.warn({ err: err.message }, 'expiry sweep failed'));
  }, 60_000);
  sweeper.unref();

  const server = app.listen(config.port, config.host, () => {
    logger.info({ port: config.port, publicUrl: config.publicUrl }, `listening; Moodle registration URL: ${config.publicUrl}/lti/register`);
  });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    clearInterval(sweeper);
    stopScheduler();
    bulkIssuance.stop();
    server.close();
    await issuance.close().catch(() => undefined);
    await database.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('The tool failed to start:', err);
  process.exit(1);
});
