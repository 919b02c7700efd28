import { isPinnedContext, type DocumentLoader } from '../credentials/contexts/document-loader';
import { unbakePng } from '../credentials/bake/png';
import { unbakeSvg } from '../credentials/bake/svg';
import { checkCredentialShape, checkInputBytes, isPng, looksLikeSvg, parseCredentialJson } from '../credentials/input-bounds';
import { verifyCredential, type VerificationResult } from '../credentials/proof';
import { validateCredential } from '../credentials/schema/validate';
import { AppError } from '../errors';
import type { StatusService } from './status-service';

export interface FullVerification {
  verified: boolean;
  /** What was given: a JSON credential, a compact JWS, or a baked PNG/SVG holding one of those. */
  input: 'json' | 'jwt' | 'png' | 'svg' | 'unknown';
  format: VerificationResult['format'] | null;
  credential: Record<string, unknown> | null;
  checks: Array<{ check: string; ok: boolean; message: string }>;
}

export type VerifyInput = Buffer | string | Record<string, unknown>;

/** What a verification needs from the outside: the offline loader (with DID resolution) and our status records. */
export interface VerifyContext {
  documentLoader: DocumentLoader;
  statusOf(credentialUrl: string): Promise<{ revoked: boolean; suspended: boolean } | null>;
  now: Date;
}

const COMPACT_JWS = /^\s*[\w-]+\.[\w-]+\.[\w-]*\s*$/;

const failed = (kind: FullVerification['input'], message: string): FullVerification => ({
  verified: false,
  input: kind,
  format: null,
  credential: null,
  checks: [{ check: 'input', ok: false, message }],
});

/** The payload of a compact JWS, parsed within the bounds (verifyVcJwt reads it again once it is known safe). */
function checkJwtPayload(token: string): void {
  const payload = Buffer.from(token.trim().split('.')[1] ?? '', 'base64url').toString('utf8');
  checkCredentialShape(parseCredentialJson(payload, 'The JWT payload'), isPinnedContext);
}

/** Un-bakes and parses the input, refusing (AppError 4xx) what is out of bounds; a FullVerification when there is nothing to verify. */
function readInput(input: VerifyInput): { kind: FullVerification['input']; credential: Record<string, unknown> | string } | FullVerification {
  if (Buffer.isBuffer(input)) checkInputBytes(input);
  let kind: FullVerification['input'];
  let credential: unknown;
  if (Buffer.isBuffer(input) && isPng(input)) {
    kind = 'png';
    const found = unbakePng(input);
    if (!found.found) return failed(kind, `The PNG holds no Open Badges credential (${found.reason}).`);
    credential = found.credential;
  } else if (typeof input === 'object' && !Buffer.isBuffer(input)) {
    kind = 'json';
    credential = input;
  } else {
    const text = Buffer.isBuffer(input) ? input.toString('utf8') : input;
    if (looksLikeSvg(text)) {
      kind = 'svg';
      const found = unbakeSvg(text);
      if (!found.found) return failed(kind, `The SVG holds no Open Badges credential (${found.reason}).`);
      credential = found.credential;
    } else if (COMPACT_JWS.test(text)) {
      kind = 'jwt';
      credential = text.trim();
    } else if (/^\s*[[{]/.test(text)) {
      kind = 'json';
      credential = parseCredentialJson(text);
    } else {
      return failed('unknown', 'This is neither a credential (JSON or JWT) nor a baked PNG or SVG.');
    }
  }
  if (typeof credential === 'string') {
    if (COMPACT_JWS.test(credential)) checkJwtPayload(credential);
    else credential = parseCredentialJson(credential);
  }
  if (typeof credential !== 'string') checkCredentialShape(credential, isPinnedContext);
  return { kind, credential: credential as Record<string, unknown> | string };
}

/**
 * Verifies anything a learner may hand over (JSON, JWT, PNG, SVG): un-bakes, checks the OB 3.0 schema, the
 * proof, the issuer key, dates and status, and returns every check. Input out of bounds (too large, too deep,
 * malformed JSON, contexts the tool does not have) is refused with an AppError (4xx) before any JSON-LD work.
 */
export async function verifyInput(input: VerifyInput, ctx: VerifyContext): Promise<FullVerification> {
  try {
    const read = readInput(input);
    if ('checks' in read) return read;
    const result = await verifyCredential(read.credential, {
      documentLoader: ctx.documentLoader,
      now: ctx.now,
      checkStatus: async (c) => {
        const status = await ctx.statusOf(String(c.id));
        if (!status) throw new Error('the status of a credential of another issuer cannot be checked offline');
        return status;
      },
    });
    const checks: FullVerification['checks'] = [...result.checks];
    if (result.credential) {
      const schema = validateCredential(result.credential);
      checks.unshift(
        schema.valid
          ? { check: 'schema', ok: true, message: 'Matches the Open Badges 3.0 AchievementCredential schema.' }
          : { check: 'schema', ok: false, message: schema.errors.map((e) => `${e.path} ${e.message}`).join('; ') },
      );
    }
    return {
      verified: result.verified && checks.every((c) => c.ok),
      input: read.kind,
      format: result.format,
      credential: (result.credential as Record<string, unknown>) ?? null,
      checks,
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    return failed('unknown', `Could not read the input: ${(err as Error).message}`);
  }
}

/** In-process verification (the CLI, or when no verification threads are configured). */
export function createVerifier(deps: { documentLoader: DocumentLoader; status: StatusService; now: () => number }) {
  return (input: VerifyInput): Promise<FullVerification> =>
    verifyInput(input, { documentLoader: deps.documentLoader, statusOf: (url) => deps.status.statusOfCredentialUrl(url), now: new Date(deps.now()) });
}
