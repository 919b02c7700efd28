import type { Logger } from 'pino';
import { loadConfig, type Config } from '../config';
import { AppError } from '../errors';
import { createLogger } from '../http/middleware/request-context';
import type { Database } from '../store/connection';
import { openConfiguredDatabase } from '../store/open';
import { CREDENTIAL_USAGE, keysCommand, verifyCommand } from './credentials';
import { EXPORT_USAGE, exportCommand, exportDeps } from './export';
import { PLATFORM_USAGE, platformCommand, type CliIo } from './platforms';

const USAGE = `Open Badges tool: administration

${PLATFORM_USAGE}

${CREDENTIAL_USAGE}
${EXPORT_USAGE}`;

const COMMANDS = ['platform', 'verify', 'keys', 'export'] as const;
type Command = (typeof COMMANDS)[number];

/**
 * Runs one command on an open database. Each command loads only what it uses: `export` reads credentials,
 * badges and institutions through their repositories (the app, ltijs, the signing and JSON-LD libraries are
 * never loaded, so a long export runs in a small process); the others need the whole app.
 */
async function run(command: Command, args: string[], deps: { config: Config; db: Database; logger: Logger }, io: CliIo): Promise<number> {
  if (command === 'export') return exportCommand(args, exportDeps(deps.config, deps.db.connection), io);
  const { buildApp } = require('../app') as typeof import('../app');
  const { registry, issuance } = await buildApp(deps);
  if (command === 'verify') return verifyCommand(args, issuance, io);
  if (command === 'keys') return keysCommand(args, issuance, io);
  return platformCommand(args, registry, io);
}

/** Entry point of `npm run cli -- …` (or `node dist/src/cli/index.js …` in the container). */
async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (!COMMANDS.includes(command as Command)) {
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
    return await run(command as Command, args, { config: loaded.config, db, logger }, io);
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
