import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths';
import { configSchema, envNames, type Config, type Mode } from './schema';

export type ConfigResult = { ok: true; config: Config; warnings: string[] } | { ok: false; problems: string[] };

/** Throw-away secrets for development only; start-up says so loudly. */
const DEVELOPMENT_SECRETS = {
  ltiEncryptionKey: 'development-only-lti-encryption-key-change-me',
  issuerKeyEncryptionKey: 'development-only-issuer-key-encryption-key-change-me',
  sessionSecret: 'development-only-session-secret-change-me-please',
};

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

const bool = (v: string | undefined) => (v === undefined ? undefined : /^(1|true|yes|on)$/i.test(v.trim()));

/** REGISTRARS="https://moodle.example.edu|2,https://other.example.edu|17" */
function parseRegistrars(v: string | undefined) {
  return list(v)?.map((entry) => {
    const cut = entry.lastIndexOf('|');
    return cut < 0 ? { issuer: entry, userId: '' } : { issuer: entry.slice(0, cut), userId: entry.slice(cut + 1) };
  });
}

// the defaults file is read as plain JSON and only used as fallbacks of the values the schema then validates
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readDefaults(file: string): Record<string, any> {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Builds the frozen Config from environment variables over config/default.json.
 * Reports every problem at once, naming the environment variable to set.
 */
export function loadConfig(env: NodeJS.ProcessEnv, defaultsFile = path.join(projectRoot(), 'config', 'default.json')): ConfigResult {
  const d = readDefaults(defaultsFile);
  const modeRaw = env.NODE_ENV ?? 'development';
  const mode = modeRaw as Mode; // validated by the schema below
  const dev = mode === 'development';
  const warnings: string[] = [];
  const secretOr = (name: string, devValue: string) => {
    const v = env[name];
    if (v) return v;
    if (dev) {
      warnings.push(`${name} is not set: using a development-only value. Never run production like this.`);
      return devValue;
    }
    return undefined;
  };
  const port = env.PORT ?? d.port;
  const raw = {
    mode,
    port,
    host: env.HOST ?? d.host,
    publicUrl: env.PUBLIC_URL ?? (dev ? `http://localhost:${port}` : undefined),
    mongodbUri: env.MONGODB_URI || undefined,
    dataDir: env.DATA_DIR ?? d.dataDir,
    logLevel: env.LOG_LEVEL ?? d.logLevel,
    toolName: env.TOOL_NAME ?? d.toolName,
    toolDescription: env.TOOL_DESCRIPTION ?? d.toolDescription,
    secrets: {
      ltiEncryptionKey: secretOr('LTI_ENCRYPTION_KEY', DEVELOPMENT_SECRETS.ltiEncryptionKey),
      issuerKeyEncryptionKey: secretOr('ISSUER_KEY_ENCRYPTION_KEY', DEVELOPMENT_SECRETS.issuerKeyEncryptionKey),
      sessionSecret: secretOr('SESSION_SECRET', DEVELOPMENT_SECRETS.sessionSecret),
    },
    lti: {
      tokenMaxAgeSeconds: env.LTI_TOKEN_MAX_AGE_SECONDS ?? d.lti.tokenMaxAgeSeconds,
      clockSkewSeconds: env.LTI_CLOCK_SKEW_SECONDS ?? d.lti.clockSkewSeconds,
      loginStateTtlSeconds: env.LTI_LOGIN_STATE_TTL_SECONDS ?? d.lti.loginStateTtlSeconds,
      jwksCacheSeconds: env.LTI_JWKS_CACHE_SECONDS ?? d.lti.jwksCacheSeconds,
      platformRequestTimeoutMs: env.LTI_PLATFORM_REQUEST_TIMEOUT_MS ?? d.lti.platformRequestTimeoutMs,
      dynamicRegistrationAllowedIssuers: list(env.LTI_DYNREG_ALLOWED_ISSUERS) ?? [],
      allowInsecurePlatforms: bool(env.LTI_ALLOW_INSECURE_PLATFORMS) ?? mode !== 'production',
    },
    session: { ttlMinutes: env.SESSION_TTL_MINUTES ?? d.session.ttlMinutes },
    sync: { intervalMinutes: env.SYNC_INTERVAL_MINUTES ?? d.sync.intervalMinutes, moodleConcurrency: env.MOODLE_WS_CONCURRENCY ?? d.sync.moodleConcurrency },
    issuance: {
      signingThreads: env.SIGNING_THREADS ?? d.issuance.signingThreads,
      batchSize: env.ISSUANCE_BATCH_SIZE ?? d.issuance.batchSize,
      jobStaleSeconds: env.ISSUANCE_JOB_STALE_SECONDS ?? d.issuance.jobStaleSeconds,
    },
    verify: {
      threads: env.VERIFY_THREADS ?? d.verify.threads,
      timeoutMs: env.VERIFY_TIMEOUT_MS ?? d.verify.timeoutMs,
      maxQueue: env.VERIFY_MAX_QUEUE ?? d.verify.maxQueue,
    },
    rateLimits: {
      verifyPerMinute: env.RATE_LIMIT_VERIFY_PER_MINUTE ?? d.rateLimits.verifyPerMinute,
      publicPerMinute: env.RATE_LIMIT_PUBLIC_PER_MINUTE ?? d.rateLimits.publicPerMinute,
      walletPerMinute: env.RATE_LIMIT_WALLET_PER_MINUTE ?? d.rateLimits.walletPerMinute,
    },
    registrars: parseRegistrars(env.REGISTRARS) ?? [],
  };

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.filter((p) => typeof p !== 'number').join('.');
      const name = envNames[key] ?? key;
      const given = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], raw);
      const missing = given === undefined || given === '';
      return missing ? `${name} is required (no default outside development mode)` : `${name}: ${issue.message}`;
    });
    return { ok: false, problems: [...new Set(problems)] };
  }
  if (mode === 'production' && !parsed.data.publicUrl.startsWith('https://')) {
    return { ok: false, problems: ['PUBLIC_URL must be https:// in production (LTI cookies and frames need a secure origin)'] };
  }
  return { ok: true, config: deepFreeze(parsed.data), warnings };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
