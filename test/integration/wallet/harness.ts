import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { errorHandler } from '../../../src/http/middleware/errors';
import { createLogger } from '../../../src/http/middleware/request-context';
import { loadSession } from '../../../src/http/middleware/session';
import { walletRoutes } from '../../../src/http/routes/wallet';
import { issueHolderCopy } from '../../../src/issuance/holder-copy';
import { AuditLogRepository } from '../../../src/store/audit-log';
import { ensureIndexes } from '../../../src/store/indexes';
import { createWallet, walletIndexes, type Wallet, type WalletDeps } from '../../../src/wallet';
import request from 'supertest';
import { seedEarnedBadge } from '../../support/award';
import { launchAs } from '../../support/launch';
import { PlatformSimulator } from '../../support/platform-simulator';
import { startTool, type RunningTool } from '../../support/tool';

export interface WalletTestContext {
  sim: PlatformSimulator;
  /** The tool as seen through the wallet-enabled front: `url` is the public URL everything goes through. */
  tool: RunningTool;
  wallet: Wallet;
  /** Shift of the clock the tool and the wallet share (ms); tests reset it. */
  clock: { offsetMs: number };
}

/**
 * A registered tool with the wallet routes mounted the way src/app.ts is to mount them (until the owner wires
 * them there): one public URL whose server runs session loading on /app, the wallet router, then the tool's
 * own app for everything else, and the app's error handler. The tool's PUBLIC_URL is that front's address, so
 * LTI launches, issued credentials and the credential issuer identifier all agree on it.
 */
export function useWalletTool(options: Pick<WalletDeps, 'holderProof' | 'txCodeLength' | 'timings'> = {}): WalletTestContext {
  const ctx = {} as WalletTestContext;
  const server = http.createServer();
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ctx.clock = { offsetMs: 0 };
    const now = () => Date.now() + ctx.clock.offsetMs;
    ctx.sim = await PlatformSimulator.start();
    const tool = await startTool({ env: { PUBLIC_URL: url }, now });
    await ensureIndexes(tool.db.connection, walletIndexes());
    const audit = new AuditLogRepository(tool.db.connection, now);
    ctx.wallet = createWallet({
      connection: tool.db.connection,
      publicUrl: tool.config.publicUrl,
      credentials: tool.issuance.credentials,
      issueCopy: (award, holderDid) => issueHolderCopy({ ...tool.issuance.deps, copies: tool.issuance.copies, audit }, award, holderDid),
      now,
      ...options,
    });

    const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
    const front = express();
    front.use('/app', express.urlencoded({ extended: false, limit: '100kb' }), express.json({ limit: '100kb' }), loadSession(tool.sessions));
    front.use(walletRoutes(ctx.wallet));
    front.use(tool.app);
    front.use(errorHandler(logger));
    server.on('request', front);

    ctx.tool = {
      ...tool,
      url,
      async stop() {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
        await tool.stop();
      },
    };
    ctx.sim.toolUrl = url;
    await tool.registry.register(ctx.sim.platformRegistration());
  });
  after(async () => {
    await ctx.tool?.stop();
    await ctx.sim?.stop();
  });
  return ctx;
}

/** Set-up shared by the wallet suites: an earned badge, claimed by the student over HTTP. */
export async function claimAsStudent(ctx: WalletTestContext): Promise<{ credentialId: string; studentToken: string }> {
  const { badge } = await seedEarnedBadge(ctx.tool);
  const studentToken = (await launchAs(ctx.tool, ctx.sim, 'student')).token;
  const claim = await request(ctx.tool.url).post(`/app/student/badges/${badge.id}/claim`).type('form').send({ s: studentToken });
  if (claim.status !== 303) throw new Error(`claim answered ${claim.status}: ${claim.text}`);
  return { credentialId: new URL(claim.headers.location!, ctx.tool.url).pathname.split('/').pop()!, studentToken };
}
