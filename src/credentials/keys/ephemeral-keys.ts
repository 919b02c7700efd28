import { IssuerKeys } from './issuer-keys';
import { generateIssuerKey, ISSUER_KEY_TYPES } from './key-material';

/** Fresh in-memory keys of every type, never stored: for tests and benchmarks that need no database. */
export async function generateEphemeralIssuerKeys(issuerId: string): Promise<IssuerKeys> {
  return new IssuerKeys(issuerId, await Promise.all(ISSUER_KEY_TYPES.map(generateIssuerKey)));
}
