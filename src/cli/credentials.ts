import { readFile } from 'node:fs/promises';
import type { Issuance } from '../issuance/services';
import type { CliIo } from './platforms';

export const CREDENTIAL_USAGE = `  verify FILE|URL            verify a credential (JSON, JWT, baked PNG or SVG); prints every check as JSON
  keys rotate --platform ID  new issuer keys sign from now on; old keys stay published`;

/** `verify FILE|URL`: exit 0 when verified, 1 when not; the result is printed as JSON either way. */
export async function verifyCommand(args: string[], issuance: Issuance, io: CliIo, fetchImpl: typeof fetch = fetch): Promise<number> {
  const target = args[0];
  if (!target) {
    io.err(CREDENTIAL_USAGE);
    return 2;
  }
  let bytes: Buffer;
  try {
    if (/^https?:\/\//.test(target)) {
      const res = await fetchImpl(target, {
        headers: { accept: 'application/vc+ld+json, application/ld+json, application/json, */*' },
        signal: AbortSignal.timeout(15_000),
      });
      bytes = Buffer.from(await res.arrayBuffer());
    } else {
      bytes = await readFile(target);
    }
  } catch (err) {
    io.out(
      JSON.stringify({ verified: false, checks: [{ check: 'input', ok: false, message: `Could not read ${target}: ${(err as Error).message}` }] }, null, 2),
    );
    return 1;
  }
  let result;
  try {
    result = await issuance.verify(bytes);
  } catch (err) {
    // input out of bounds (too large, too deep, unknown contexts): said like any other failed check
    io.out(JSON.stringify({ verified: false, checks: [{ check: 'input', ok: false, message: (err as Error).message }] }, null, 2));
    return 1;
  }
  io.out(
    JSON.stringify(
      { verified: result.verified, input: result.input, format: result.format, id: result.credential?.id ?? null, checks: result.checks },
      null,
      2,
    ),
  );
  return result.verified ? 0 : 1;
}

export async function keysCommand(args: string[], issuance: Issuance, io: CliIo): Promise<number> {
  const i = args.indexOf('--platform');
  const platformId = i >= 0 ? args[i + 1] : undefined;
  if (args[0] !== 'rotate' || !platformId) {
    io.err(CREDENTIAL_USAGE);
    return 2;
  }
  await issuance.keys.rotateIssuerKeys(platformId);
  const jwks = await issuance.keys.issuerJwks(platformId);
  io.out(`Rotated the issuer keys of platform ${platformId}; ${jwks.keys.length} public keys are published.`);
  return 0;
}
