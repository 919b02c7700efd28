import { AppError } from '../../errors';
import type { DocumentLoader } from '../contexts/document-loader';
import type { DataIntegritySigner, IssuerKeys } from '../keys/issuer-keys';
import { issuerIdOf } from './credential-fields';
import { DataIntegrityProof, eddsaRdfc2022, vc, type JsonObject } from './libs';
import { ensureContextSharing } from './jsonld-context-sharing';
import { cacheProofCanonicalisation } from './proof-options-cache';
import { withStaticContexts } from './static-contexts';
import { errorMessage } from './verification-result';

export interface SignDataIntegrityOptions {
  issuerKeys: IssuerKeys;
  documentLoader: DocumentLoader;
  /** The proof's `created`; defaults to the current time. */
  now?: Date;
}

/**
 * Adds a DataIntegrityProof (eddsa-rdfc-2022, assertionMethod) made with the issuer's active Ed25519 key.
 * The verification method is `${issuer id}#${kid}`: verifiers require the key's controller to be the credential's
 * issuer, so the issuer id must be the DID (or URL) whose document publishes the key. `proof` is always an array,
 * as the formal OB 3.0 schema requires. Throws AppError when the credential cannot be signed (misuse).
 */
export async function signDataIntegrity<T extends object>(credential: T, options: SignDataIntegrityOptions): Promise<T & { proof: JsonObject[] }> {
  const verificationMethod = dataIntegrityVerificationMethod(credential, options.issuerKeys);
  return signDataIntegrityWith(credential, {
    signer: options.issuerKeys.dataIntegritySigner(verificationMethod),
    documentLoader: options.documentLoader,
    now: options.now,
  });
}

/** `${issuer id}#${kid of the active Ed25519 key}`; AppError when the credential names no issuer. */
export function dataIntegrityVerificationMethod(credential: object, issuerKeys: IssuerKeys): string {
  const controller = issuerIdOf(credential as JsonObject);
  if (!controller) throw new AppError('credential_issuer_missing', 'The credential has no issuer id to sign for');
  return `${controller}#${issuerKeys.kid('Ed25519')}`;
}

/**
 * The proof itself, with any signer: the issuer's key here, or (in a signing thread) a stand-in that asks the
 * thread holding the key to sign the 64 bytes of verify data. All the JSON-LD work happens where this runs.
 */
export async function signDataIntegrityWith<T extends object>(
  credential: T,
  options: { signer: DataIntegritySigner; documentLoader: DocumentLoader; now?: Date },
): Promise<T & { proof: JsonObject[] }> {
  const unsigned = structuredClone(credential) as JsonObject;
  // one suite per call: it carries the proof date
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022, signer: options.signer, date: options.now ?? new Date() });
  cacheProofCanonicalisation(suite);
  const documentLoader = withStaticContexts(options.documentLoader);
  let signed: JsonObject;
  try {
    await ensureContextSharing(unsigned, options.documentLoader);
    signed = await vc.issue({ credential: unsigned, suite, documentLoader, now: options.now });
  } catch (err) {
    throw new AppError('credential_sign_failed', `The credential could not be signed: ${errorMessage(err)}`, {
      status: 500,
      cause: err,
    });
  }
  const proof = signed.proof;
  return { ...signed, proof: Array.isArray(proof) ? proof : [proof] } as T & { proof: JsonObject[] };
}
