import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
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

/** Creates the indexes every store needs and runs the data migrations, before anything reads. */
async function prepareDatabase(connection: Database['connection'], logger: Logger) {
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
}

/** The stores the pages and services share. */
function createStores(deps: AppDeps, now: () => number) {
  const { config, logger } = deps;
  const connection = deps.db.connection;
  const wsConnections = new WsConnectionRepository(connection, config.secrets.ltiEncryptionKey);
  return {
    platforms: new PlatformRepository(connection),
    loginStates: new LoginStateRepository(connection, now),
    sessions: new SessionRepository<LaunchContext>(connection, config.secrets.sessionSecret, config.session.ttlMinutes * 60_000, now),
    badges: new BadgeRepository(connection),
    audit: new AuditLogRepository(connection, now),
    institutions: new InstitutionRepository(connection),
    decisions: new DecisionRepository(connection),
    wsConnections,
    sources: new DataSources(wsConnections, { fetch: deps.fetch, now, concurrency: config.sync.moodleConcurrency, logger }),
  };
}
type Stores = ReturnType<typeof createStores>;

/** Issuance (signing, status, verification), the wallet, course sync and "issue all earned" jobs. */
function createServices(deps: AppDeps, now: () => number, stores: Stores) {
  const { config, logger } = deps;
  const connection = deps.db.connection;
  const { badges, decisions, institutions, audit, sources } = stores;
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
  const sync: CourseSyncDeps = {
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
    owner: sync.owner,
    batchSize: config.issuance.batchSize,
    staleMs: config.issuance.jobStaleSeconds * 1000,
    now,
  });
  /** Starts a sync in the background; resolves once its run is recorded (so the page shows it at once). */
  const startSync = (platformId: string, courseId: string) =>
    new Promise<void>((resolve) => {
      runCourseSync(sync, platformId, courseId, 'teacher', { onStarted: () => resolve() })
        .catch((err) => logger.error({ err, platformId, courseId }, 'course sync crashed'))
        .finally(() => resolve());
    });
  return { issuance, wallet, sync, bulkIssuance, startSync };
}
type Services = ReturnType<typeof createServices>;

/**
 * LTI 1.3 (ltijs with this tool's launch guard), the platform registry and clients, and dynamic registration.
 * A launch becomes a session; without a web service, a badge activity's launch records a gated-launch award.
 */
function setUpLti(deps: AppDeps, now: () => number, stores: Stores, platformOrigins: PlatformOrigins, handleError: ErrorRequestHandler) {
  const { config } = deps;
  const { platforms, loginStates, sessions, badges, decisions, sources } = stores;
  const isRegistrar = (issuer: string, userId: string) => config.registrars.some((r) => r.issuer === issuer && r.userId === userId);
  const lti = createLtiProvider({
    encryptionKey: config.secrets.ltiEncryptionKey,
    // nonces are kept twice as long as an id_token is accepted, so a replay always meets its nonce (row 7)
    database: new LtijsDatabase(deps.db.connection, { nonceLifetimeSeconds: config.lti.tokenMaxAgeSeconds * 2, now }),
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
  return { lti, registry, platformClients, register };
}
type Lti = ReturnType<typeof setUpLti>;

/** What every response gets first: request logging, health (before anything that may refuse), security headers, static files, rate limits. */
function useSecurityAndStatic(app: Express, deps: AppDeps, platformOrigins: PlatformOrigins) {
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(requestLogging(deps.logger));
  app.use(healthRoutes(deps.db));
  app.use(securityHeaders(platformOrigins));
  app.use('/static', express.static(path.join(projectRoot(), 'static'), { maxAge: '1h', index: false }));
  app.use(publicRateLimits(deps.config.rateLimits));
}

/** What needs no session: LTI login and launch, the public credential pages and documents, dynamic registration. */
function usePublicRoutes(app: Express, config: Config, stores: Stores, services: Services, lti: Lti) {
  app.use(lti.lti.router);
  app.use(
    publicCredentialRoutes({
      publicUrl: config.publicUrl,
      issuance: services.issuance,
      badges: stores.badges,
      institutions: stores.institutions,
      siteIdOf: async (id) => (await stores.platforms.findSiteByAnyId(id))?.id ?? null,
    }),
  );
  app.use(registrationRoutes({ register: lti.register, toolName: config.toolName }));
}

/** Everything under /app reads its form and session first; then each role's pages (the wallet's public endpoints too). */
function useSessionRoutes(app: Express, deps: AppDeps, now: () => number, stores: Stores, services: Services, lti: Lti) {
  const { config } = deps;
  const connection = deps.db.connection;
  const { badges, decisions, sources, audit, institutions, wsConnections, platforms } = stores;
  const { issuance, sync, startSync, bulkIssuance } = services;
  app.use('/app', express.urlencoded({ extended: false, limit: '100kb' }), jsonBody({ limit: '100kb' }), loadSession(stores.sessions));
  app.use(landingRoutes());
  const setupState = setupStateReader({ institutions, wsConnections, badges });
  app.use(teacherRoutes({ badges, decisions, runs: sync.runs, sources, audit, startSync, issuance, setupState, bulkIssuance }));
  app.use(studentRoutes({ badges, decisions, sources, now, credentials: issuance.credentials, issuance: issuance.deps }));
  app.use(walletRoutes(services.wallet));
  app.use(registrarExportRoutes({ connection, issuance, apiTokens: new ApiTokenRepository(connection, now), audit, now }));
  app.use(registrarCredentialRoutes({ issuance, audit, findPlatform: (id) => platforms.findById(id), setupState }));
  app.use(deepLinkingRoutes({ badges, registry: lti.registry, publicUrl: config.publicUrl, now }));
  app.use(institutionRoutes({ institutions, audit }));
  app.use(moodleConnectionRoutes({ connections: wsConnections, sources, audit, now }));
}

/** Last: any other address is a 404, and every error is answered in one form. */
function useErrorHandling(app: Express, handleError: ErrorRequestHandler) {
  app.use((_req, _res, next) => next(notFound('NOT_FOUND', 'There is no page at this address.')));
  app.use(handleError);
}

/** Builds the express app (it does not listen): the target of supertest and of main.ts. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const now = deps.now ?? Date.now;
  await prepareDatabase(deps.db.connection, deps.logger);
  const stores = createStores(deps, now);
  const services = createServices(deps, now, stores);
  const platformOrigins = new PlatformOrigins(async () => (await stores.platforms.list()).map((p) => p.issuer));
  const handleError = errorHandler(deps.logger);
  const lti = setUpLti(deps, now, stores, platformOrigins, handleError);

  const app = express();
  useSecurityAndStatic(app, deps, platformOrigins);
  usePublicRoutes(app, deps.config, stores, services, lti);
  useSessionRoutes(app, deps, now, stores, services, lti);
  useErrorHandling(app, handleError);
  const { registry, platformClients } = lti;
  const { sessions, platforms, wsConnections } = stores;
  const { issuance, bulkIssuance, sync } = services;
  return { app, registry, sessions, platformOrigins, platforms, platformClients, sync, wsConnections, issuance, bulkIssuance };
}
