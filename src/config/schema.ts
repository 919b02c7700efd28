import { z } from 'zod';

/** Modes: development gets throw-away secrets; test and production must be given every secret. */
export const modes = ['development', 'test', 'production'] as const;
export type Mode = (typeof modes)[number];

const secret = z.string().min(32, 'must be at least 32 characters long');
const positiveInt = z.coerce.number().int().positive();

/** A platform-level registrar: the Moodle user `sub` on platform `issuer`. */
const registrarEntry = z.object({ issuer: z.string().url(), userId: z.string().min(1) });

export const configSchema = z.object({
  mode: z.enum(modes),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  publicUrl: z
    .string()
    .url('must be an absolute URL such as https://badges.example.edu')
    .transform((u) => u.replace(/\/+$/, '')),
  mongodbUri: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  dataDir: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  toolName: z.string().min(1),
  toolDescription: z.string(),
  secrets: z.object({
    ltiEncryptionKey: secret,
    issuerKeyEncryptionKey: secret,
    sessionSecret: secret,
  }),
  lti: z.object({
    tokenMaxAgeSeconds: positiveInt.min(60, 'must be at least 60: Moodle id_tokens live 60 seconds'),
    clockSkewSeconds: z.coerce.number().int().min(0).max(60),
    loginStateTtlSeconds: positiveInt,
    jwksCacheSeconds: positiveInt,
    platformRequestTimeoutMs: positiveInt,
    /** Platforms (issuer origins) allowed to register dynamically; empty means any. */
    dynamicRegistrationAllowedIssuers: z.array(z.string().url()),
    /** Whether http:// (not https://) platforms may register; loopback hosts are always allowed. */
    allowInsecurePlatforms: z.boolean(),
  }),
  session: z.object({ ttlMinutes: positiveInt }),
  sync: z.object({
    intervalMinutes: positiveInt,
    /**
     * Moodle web-service requests in flight per platform, and learners read at once by a sync. PHP-FPM's default
     * pool has 5 workers: 4 leaves one for the people using Moodle. Never more than the site's pool allows.
     */
    moodleConcurrency: z.coerce.number().int().min(1).max(32),
  }),
  issuance: z.object({
    /** Threads for Data Integrity signing: 'auto' (cores - 1, at most 4) or a number (0 signs on the main thread). */
    signingThreads: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(32)], { error: "must be 'auto' or a whole number from 0 to 32" }),
    /** Credentials per batch of bulk issuance ("issue all earned"): signed together, stored with one insert. */
    batchSize: z.coerce.number().int().min(1).max(1000),
    /** A bulk issuance job whose instance has been silent this long is taken over by another (or a restarted) one. */
    jobStaleSeconds: z.coerce.number().int().min(1).max(3600),
  }),
  verify: z.object({
    /** Threads for verifying credentials sent by anyone: 'auto' (cores - 1, at least 1, at most 2) or a number (0 verifies on the main thread). */
    threads: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(16)], { error: "must be 'auto' or a whole number from 0 to 16" }),
    /** Budget of one verification; past it the answer is 503. */
    timeoutMs: positiveInt,
    /** Verifications waiting for a thread before more are refused (503). */
    maxQueue: z.coerce.number().int().min(0),
  }),
  /** Requests per minute per client address on the public endpoints; 0 turns a limit off. */
  rateLimits: z.object({
    verifyPerMinute: z.coerce.number().int().min(0),
    publicPerMinute: z.coerce.number().int().min(0),
    walletPerMinute: z.coerce.number().int().min(0),
  }),
  registrars: z.array(registrarEntry),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

/** Environment variable for each config path, so errors name what an admin sets. */
export const envNames: Record<string, string> = {
  mode: 'NODE_ENV',
  port: 'PORT',
  host: 'HOST',
  publicUrl: 'PUBLIC_URL',
  mongodbUri: 'MONGODB_URI',
  dataDir: 'DATA_DIR',
  logLevel: 'LOG_LEVEL',
  toolName: 'TOOL_NAME',
  toolDescription: 'TOOL_DESCRIPTION',
  'secrets.ltiEncryptionKey': 'LTI_ENCRYPTION_KEY',
  'secrets.issuerKeyEncryptionKey': 'ISSUER_KEY_ENCRYPTION_KEY',
  'secrets.sessionSecret': 'SESSION_SECRET',
  'lti.tokenMaxAgeSeconds': 'LTI_TOKEN_MAX_AGE_SECONDS',
  'lti.clockSkewSeconds': 'LTI_CLOCK_SKEW_SECONDS',
  'lti.loginStateTtlSeconds': 'LTI_LOGIN_STATE_TTL_SECONDS',
  'lti.jwksCacheSeconds': 'LTI_JWKS_CACHE_SECONDS',
  'lti.platformRequestTimeoutMs': 'LTI_PLATFORM_REQUEST_TIMEOUT_MS',
  'lti.dynamicRegistrationAllowedIssuers': 'LTI_DYNREG_ALLOWED_ISSUERS',
  'lti.allowInsecurePlatforms': 'LTI_ALLOW_INSECURE_PLATFORMS',
  'session.ttlMinutes': 'SESSION_TTL_MINUTES',
  'sync.intervalMinutes': 'SYNC_INTERVAL_MINUTES',
  'sync.moodleConcurrency': 'MOODLE_WS_CONCURRENCY',
  'issuance.signingThreads': 'SIGNING_THREADS',
  'verify.threads': 'VERIFY_THREADS',
  'verify.timeoutMs': 'VERIFY_TIMEOUT_MS',
  'verify.maxQueue': 'VERIFY_MAX_QUEUE',
  'rateLimits.verifyPerMinute': 'RATE_LIMIT_VERIFY_PER_MINUTE',
  'rateLimits.publicPerMinute': 'RATE_LIMIT_PUBLIC_PER_MINUTE',
  'rateLimits.walletPerMinute': 'RATE_LIMIT_WALLET_PER_MINUTE',
  'issuance.batchSize': 'ISSUANCE_BATCH_SIZE',
  'issuance.jobStaleSeconds': 'ISSUANCE_JOB_STALE_SECONDS',
  registrars: 'REGISTRARS',
};
