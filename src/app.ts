import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import { projectRoot } from './config/paths';
import { notFound } from './errors';
import { errorHandler } from './http/middleware/errors';
import { jsonBody } from './http/middleware/json-body';
import { publicRateLimits } from './http/middleware/public-limits';
import { requestLogging } from './http/middleware/request-context';
import { PlatformOrigins, securityHeaders } from './http/middleware/security';
import { loadSession } from './http/middleware/session';
import { sessionLink } from './http/nav';
import { deepLinkingRoutes } from './http/routes/deep-linking';
import { healthRoutes } from './http/routes/health';
import { institutionRoutes } from './http/routes/institution';
import { landingRoutes } from './http/routes/landing';
import { registrarExportRoutes } from './http/routes/registrar-export';
import { walletRoutes } from './http/routes/wallet';
import { publicCredentialRoutes } from './http/routes/public-credentials';
import { registrarCredentialRoutes } from './http/routes/registrar-credentials';
import { moodleConnectionRoutes } from './http/routes/moodle-connection';
import { studentRoutes } from './http/routes/student';
import { teacherRoutes } from './http/routes/teacher';
import { registrationRoutes } from './http/routes/registration';
import { createIssuance, signingThreadsFor, verifyThreadsFor, type Issuance } from './issuance/services';
import { BulkIssuance } from './issuance/bulk/jobs';
import { IssuanceJobRepository } from './store/issuance-jobs';
import { createWallet, walletIndexes } from './wallet';
import { PlatformClients } from './lms/platform-clients';
import { DataSources } from './lms/sources';
import { createDynamicRegistration } from './lti/dynamic-registration';
import { normaliseLaunch } from './lti/normalise';
import { PlatformRegistry } from './lti/platform-registry';
import { createLtiProvider } from './lti/provider';
import { ApiTokenRepository } from './store/api-tokens';
import { AuditLogRepository } from './store/audit-log';
import { HolderCopyRepository } from './store/holder-copies';
import { issueHolderCopy } from './issuance/holder-copy';
import { BadgeRepository } from './store/badges';
import { DecisionRepository } from './store/decisions';
import { LearnerStateRepository } from './store/learner-states';
import { SyncRunRepository } from './store/sync-runs';
import { runCourseSync, type CourseSyncDeps } from './sync/course-sync';
import { recordGatedLaunch } from './sync/gated-launch';
import type { Database } from './store/connection';
import { ensureIndexes } from './store/indexes';
import { InstitutionRepository } from './store/institutions';
import { IssuedCredentialRepository } from './store/issued-credentials';
import { IssuerKeyRepository } from './store/issuer-keys';
import { LeaseRepository } from './store/leases';
import { LoginStateRepository } from './store/login-states';
import { LtijsDatabase, ltijsIndexes } from './store/ltijs-database';
import type { LaunchContext } from './lti/launch-context';
import { runMigrations } from './store/migrations';
import { setupStateReader } from './http/setup-state';
import { PlatformRepository } from './store/platforms';
import { SessionRepository } from './store/sessions';
import { StatusListRepository } from './store/status-lists';
import { WsConnectionRepository } from './store/ws-connections';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /** Clock in ms; tests pass a fixed or shifted one. */
  now?: () => number;
  /** fetch used for calls to platforms (dynamic registration). */
  fetch?: typeof fetch;
  /** Cooldown before an unknown kid makes the tool fetch a platform's JWKS again. */
  jwksCooldownMs?: number;
}

export interface App {
  app: Express;
  registry: PlatformRegistry;
  sessions: SessionRepository<LaunchContext>;
  platformOrigins: PlatformOrigins;
  platforms: PlatformRepository;
  platformClients: PlatformClients;
  sync: CourseSyncDeps;
  issuance: Issuance;
  /** "Issue all earned" jobs; main.ts starts its timer (start()) to resume jobs a stopped instance left. */
  bulkIssuance: BulkIssuance;
  wsConnections: WsConnectionRepository;
}

/** Builds the express app (it does not listen): the target of supertest and of main.ts. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, db, logger } = deps;
  const now = deps.now ?? Date.now;
  const connection = db.connection;

  const indexNotes = await ensureIndexes(connection, [
    ...ltijsIndexes(),
    ...PlatformRepository.indexes(),
    ...LoginStateRepository.indexes(),
    ...SessionRepository.indexes(),
    ...BadgeRepository.indexes(),
    ...StatusListRepository.indexes(),
    ...AuditLogRepository.indexes(),
    ...LeaseRepository.indexes(),
    ...WsConnectionRepository.indexes(),
    ...InstitutionRepository.indexes(),
    ...DecisionRepository.indexes(),
    ...LearnerStateRepository.indexes(),
    ...SyncRunRepository.indexes(),
    ...IssuedCredentialRepository.indexes(),
    ...IssuerKeyRepository.indexes(),
    ...walletIndexes(),
    ...HolderCopyRepository.indexes(),
    ...ApiTokenRepository.indexes(),
  ]);
  if (indexNotes.length) logger.info({ notes: indexNotes }, 'database refused TTL indexes; expiry runs in code');
  const migrated = await runMigrations(connection);
  if (migrated.registrationsMerged || migrated.awardsRekeyed || migrated.duplicateAwards)
    logger.info({ migrated }, 'data migrated: one Moodle site is one institution');

  const platforms = new PlatformRepository(connection);
  const loginStates = new LoginStateRepository(connection, now);
  const sessions = new SessionRepository<LaunchContext>(connection, config.secrets.sessionSecret, config.session.ttlMinutes * 60_000, now);
  const badges = new BadgeRepository(connection);
  const audit = new AuditLogRepository(connection, now);
  const institutions = new InstitutionRepository(connection);
  const decisions = new DecisionRepository(connection);
  const wsConnections = new WsConnectionRepository(connection, config.secrets.ltiEncryptionKey);
  const sources = new DataSources(wsConnections, { fetch: deps.fetch, now, concurrency: config.sync.moodleConcurrency, logger });
  const issuance = createIssuance({
    connection,
    publicUrl: config.publicUrl,
    keyEncryptionKey: config.secrets.issuerKeyEncryptionKey,
    badges,
    decisions,
    institutions,
    now,
    signingThreads: signingThreadsFor(config.issuance.signingThreads),
    verify: { ...config.verify, threads: verifyThreadsFor(config.verify.threads) },
  });
  const wallet = createWallet({
    connection,
    publicUrl: config.publicUrl,
    credentials: issuance.credentials,
    issueCopy: (award, holderDid) => issueHolderCopy({ ...issuance.deps, copies: issuance.copies, audit }, award, holderDid),
    now,
  });
  const syncDeps: CourseSyncDeps = {
    dataSourceFor: (platformId) => sources.forPlatform(platformId),
    badges,
    decisions,
    leases: new LeaseRepository(connection, now),
    learnerStates: new LearnerStateRepository(connection),
    runs: new SyncRunRepository(connection, now),
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    now,
  };
  const bulkIssuance = new BulkIssuance({
    deps: issuance.deps,
    jobs: new IssuanceJobRepository(connection, now),
    logger,
    owner: syncDeps.owner,
    batchSize: config.issuance.batchSize,
    staleMs: config.issuance.jobStaleSeconds * 1000,
    now,
  });
  /** Starts a sync in the background; resolves once its run is recorded (so the page shows it at once). */
  const startSync = (platformId: string, courseId: string) =>
    new Promise<void>((resolve) => {
      runCourseSync(syncDeps, platformId, courseId, 'teacher', { onStarted: () => resolve() })
        .catch((err) => logger.error({ err, platformId, courseId }, 'course sync crashed'))
        .finally(() => resolve());
    });
  const platformOrigins = new PlatformOrigins(async () => (await platforms.list()).map((p) => p.issuer));

  const isRegistrar = (issuer: string, userId: string) => config.registrars.some((r) => r.issuer === issuer && r.userId === userId);

  const handleError = errorHandler(logger);
  const lti = createLtiProvider({
    encryptionKey: config.secrets.ltiEncryptionKey,
    // nonces are kept twice as long as an id_token is accepted, so a replay always meets its nonce (row 7)
    database: new LtijsDatabase(connection, { nonceLifetimeSeconds: config.lti.tokenMaxAgeSeconds * 2, now }),
    platforms,
    loginStates,
    publicUrl: config.publicUrl,
    tokenMaxAgeSeconds: config.lti.tokenMaxAgeSeconds,
    clockSkewSeconds: config.lti.clockSkewSeconds,
    loginStateTtlSeconds: config.lti.loginStateTtlSeconds,
    jwksCacheSeconds: config.lti.jwksCacheSeconds,
    jwksCooldownMs: deps.jwksCooldownMs,
    requestTimeoutMs: config.lti.platformRequestTimeoutMs,
    now,
    onError: (err, req, res) => handleError(err, req, res, () => undefined),
    async onLaunch(launch, _req, res) {
      const context = normaliseLaunch(launch.claims, launch.platform, isRegistrar(launch.platform.issuer, String(launch.claims.sub)));
      if (!(await sources.forPlatform(context.platformId))) await recordGatedLaunch({ badges, decisions }, context, new Date(now()));
      const { token } = await sessions.create(context);
      const target = context.messageType === 'LtiDeepLinkingRequest' ? '/app/deep-linking' : '/app';
      res.redirect(303, sessionLink(target, token));
    },
  });
  // a registered or removed site may frame the tool at once (CSP frame-ancestors); other processes catch up within the cache TTL
  const registry = new PlatformRegistry(lti.ltijs, platforms, () => platformOrigins.refresh());
  const platformClients = new PlatformClients(registry, { timeoutMs: config.lti.platformRequestTimeoutMs, now, fetch: deps.fetch });
  const register = createDynamicRegistration({
    registry,
    publicUrl: config.publicUrl,
    toolName: config.toolName,
    toolDescription: config.toolDescription,
    allowedIssuers: config.lti.dynamicRegistrationAllowedIssuers,
    allowInsecurePlatforms: config.lti.allowInsecurePlatforms,
    timeoutMs: config.lti.platformRequestTimeoutMs,
    fetch: deps.fetch,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(requestLogging(logger));
  app.use(healthRoutes(db));
  app.use(securityHeaders(platformOrigins));
  app.use('/static', express.static(path.join(projectRoot(), 'static'), { maxAge: '1h', index: false }));
  app.use(publicRateLimits(config.rateLimits));
  app.use(lti.router);
  app.use(
    publicCredentialRoutes({
      publicUrl: config.publicUrl,
      issuance,
      badges,
      institutions,
      siteIdOf: async (id) => (await platforms.findSiteByAnyId(id))?.id ?? null,
    }),
  );
  app.use(registrationRoutes({ register, toolName: config.toolName }));
  app.use('/app', express.urlencoded({ extended: false, limit: '100kb' }), jsonBody({ limit: '100kb' }), loadSession(sessions));
  app.use(landingRoutes());
  const setupState = setupStateReader({ institutions, wsConnections, badges });
  app.use(teacherRoutes({ badges, decisions, runs: syncDeps.runs, sources, audit, startSync, issuance, setupState, bulkIssuance }));
  app.use(studentRoutes({ badges, decisions, sources, now, credentials: issuance.credentials, issuance: issuance.deps }));
  app.use(walletRoutes(wallet));
  app.use(registrarExportRoutes({ connection, issuance, apiTokens: new ApiTokenRepository(connection, now), audit, now }));
  app.use(registrarCredentialRoutes({ issuance, audit, findPlatform: (id) => platforms.findById(id), setupState }));
  app.use(deepLinkingRoutes({ badges, registry, publicUrl: config.publicUrl, now }));
  app.use(institutionRoutes({ institutions, audit }));
  app.use(moodleConnectionRoutes({ connections: wsConnections, sources, audit, now }));
  app.use((_req, _res, next) => next(notFound('NOT_FOUND', 'There is no page at this address.')));
  app.use(handleError);
  return { app, registry, sessions, platformOrigins, platforms, platformClients, sync: syncDeps, wsConnections, issuance, bulkIssuance };
}
