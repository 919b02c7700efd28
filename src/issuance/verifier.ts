import type { DocumentLoader } from '../credentials/contexts/document-loader';
import { unbakePng } from '../credentials/bake/png';
import { unbakeSvg } from '../credentials/bake/svg';
import { verifyCredential, type VerificationResult } from '../credentials/proof';
import { validateCredential } from '../credentials/schema/validate';
import type { StatusService } from './status-service';

export interface FullVerification {
  verified: boolean;
  /** What was given: a JSON credential, a compact JWS, or a baked PNG/SVG holding one of those. */
  input: 'json' | 'jwt' | 'png' | 'svg' | 'unknown';
  format: VerificationResult['format'] | null;
  credential: Record<string, unknown> | null;
  checks: Array<{ check: string; ok: boolean; message: string }>;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Verifies anything a learner may hand over (JSON, JWT, PNG, SVG): un-bakes, checks the OB 3.0 schema, the
 * proof, the issuer key, dates and status. Returns every check; never throws.
 */
export function createVerifier(deps: { documentLoader: DocumentLoader; status: StatusService; now: () => number }) {
  return async function verify(input: Buffer | string | Record<string, unknown>): Promise<FullVerification> {
    const fail = (kind: FullVerification['input'], message: string): FullVerification => ({
      verified: false,
      input: kind,
      format: null,
      credential: null,
      checks: [{ check: 'input', ok: false, message }],
    });
    try {
      let kind: FullVerification['input'] = 'unknown';
      let credential: Record<string, unknown> | string | null = null;
      if (Buffer.isBuffer(input) && input.subarray(0, 8).equals(PNG_SIGNATURE)) {
        kind = 'png';
        const found = unbakePng(input);
        if (!found.found) return fail(kind, `The PNG holds no Open Badges credential (${found.reason}).`);
        credential = found.credential;
      } else {
        const text = Buffer.isBuffer(input) ? input.toString('utf8') : typeof input === 'string' ? input : null;
        if (text === null) {
          kind = 'json';
          credential = input as Record<string, unknown>;
        } else if (/<svg[\s>]/.test(text.slice(0, 4096))) {
          kind = 'svg';
          const found = unbakeSvg(text);
          if (!found.found) return fail(kind, `The SVG holds no Open Badges credential (${found.reason}).`);
          credential = found.credential;
        } else if (/^\s*[\w-]+\.[\w-]+\.[\w-]*\s*$/.test(text)) {
          kind = 'jwt';
          credential = text.trim();
        } else {
          kind = 'json';
          try {
            credential = JSON.parse(text);
          } catch {
            return fail('unknown', 'This is neither a credential (JSON or JWT) nor a baked PNG or SVG.');
          }
        }
      }
      const result = await verifyCredential(credential as Record<string, unknown> | string, {
        documentLoader: deps.documentLoader,
        now: new Date(deps.now()),
        checkStatus: async (c) => {
          const status = await deps.status.statusOfCredentialUrl(String(c.id));
          if (!status) throw new Error('the status of a credential of another issuer cannot be checked offline');
          return status;
        },
      });
      const checks: FullVerification["checks"] = [...result.checks];
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
        input: kind,
        format: result.format,
        credential: (result.credential as Record<string, unknown>) ?? null,
        checks,
      };
    } catch (err) {
      return fail('unknown', `Could not read the input: ${(err as Error).message}`);
    }
  };
}
