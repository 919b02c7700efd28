import { buildApp } from '../app';
import { loadConfig } from '../config';
import { AppError } from '../errors';
import { createLogger } from '../http/middleware/request-context';
import { openConfiguredDatabase } from '../store/open';
import { CREDENTIAL_USAGE, keysCommand, verifyCommand } from './credentials';
import { exportCommand } from './export';
import { PLATFORM_USAGE, platformCommand, type CliIo } from './platforms';

const USAGE = `Open Badges tool: administration

${PLATFORM_USAGE}

${CREDENTIAL_USAGE}
  export --platform ID --format csv|jsonl|zip|clr [--course ID] [--badge ID] [--from DATE] [--until DATE] [--status S] --out FILE`;

/** Entry point of `npm run cli -- …` (or `node dist/src/cli/index.js …` in the container). */
async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (!['platform', 'verify', 'keys', 'export'].includes(command ?? '')) {
    io.err(USAGE);
    return 2;
  }
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    io.err('Configuration problems:\n' + loaded.problems.map((p) => `  - ${p}`).join('\n'));
    return 1;
  }
  const logger = createLogger('warn');
  const { db, stop } = await openConfiguredDatabase(loaded.config, logger);
  try {
    const { registry, issuance, platforms } = await buildApp({ config: loaded.config, db, logger });
    if (command === 'export') return await exportCommand(args, { connection: db.connection, issuance, platforms }, io);
    if (command === 'verify') return await verifyCommand(args, issuance, io);
    if (command === 'keys') return await keysCommand(args, issuance, io);
    return await platformCommand(args, registry, io);
  } catch (err) {
    io.err(err instanceof AppError ? `${err.code}: ${err.message}` : String(err));
    return 1;
  } finally {
    await stop();
  }
}

main(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
