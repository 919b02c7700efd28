import type { DocumentLoader } from '../../credentials/contexts/document-loader';
import type { IssuerKeyManager } from '../../credentials/keys';
import { signDataIntegrity, signVcJwt } from '../../credentials/proof';
import type { DataIntegritySigningPool } from '../../credentials/proof/signing-pool';
import type { IssueState } from '../context';

/**
 * Step 5: both proof formats, always: Data Integrity eddsa-rdfc-2022 (on a signing thread when the app has them)
 * and VC-JWT RS256.
 */
export async function signCredential<S extends Pick<IssueState, 'unsigned'> & { request: Pick<IssueState['request'], 'platformId'> }>(
  deps: { keys: IssuerKeyManager; documentLoader: DocumentLoader; signingPool?: DataIntegritySigningPool | null; now: () => number },
  state: S,
): Promise<S & { signed: NonNullable<IssueState['signed']> }> {
  const issuerKeys = await deps.keys.ensureIssuerKeys(state.request.platformId);
  const now = new Date(deps.now());
  const json = (
    deps.signingPool
      ? await deps.signingPool.sign(state.unsigned!, { issuerKeys, now })
      : await signDataIntegrity(state.unsigned!, { issuerKeys, documentLoader: deps.documentLoader, now })
  ) as Record<string, unknown>;
  const jwt = await signVcJwt(state.unsigned!, { issuerKeys, alg: 'RS256', now });
  return { ...state, signed: { json, jwt } };
}
