import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorHandler } from '../../../src/http/middleware/errors';
import { loadSession } from '../../../src/http/middleware/session';
import { registrarExportRoutes } from '../../../src/http/routes/registrar-export';
import { createLogger } from '../../../src/http/middleware/request-context';
import { ApiTokenRepository } from '../../../src/store/api-tokens';
import { AuditLogRepository } from '../../../src/store/audit-log';
import { ensureIndexes } from '../../../src/store/indexes';
import type { RunningTool } from '../../support/tool';

/**
 * The export routes mounted as src/app.ts will mount them (session middleware on /app, then the router, then
 * the error handler), on their own port next to the running tool and sharing its database and services. Until
 * the owner wires the router into buildApp this stands in for it; afterwards the tests could use tool.url.
 */
export async function startExportApp(tool: RunningTool) {
  const connection = tool.db.connection;
  await ensureIndexes(connection, ApiTokenRepository.indexes());
  const apiTokens = new ApiTokenRepository(connection);
  const audit = new AuditLogRepository(connection);
  const logger = createLogger('silent');
  const app = express();
  app.use('/app', express.urlencoded({ extended: false, limit: '100kb' }), express.json({ limit: '100kb' }), loadSession(tool.sessions));
  app.use(registrarExportRoutes({ connection, issuance: tool.issuance, apiTokens, audit }));
  app.use(errorHandler(logger));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiTokens,
    audit,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
