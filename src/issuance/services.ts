import { availableParallelism } from 'node:os';
import type { Connection } from 'mongoose';
import { createDocumentLoader, type DocumentLoader } from '../credentials/contexts/document-loader';
import { euExtensionContextDocuments } from '../credentials/eu-extension/context';
import { createIssuerKeyManager, type IssuerKeyManager } from '../credentials/keys';
import { DataIntegritySigningPool } from '../credentials/proof/signing-pool';
import type { BadgeRepository } from '../store/badges';
import type { DecisionRepository } from '../store/decisions';
import type { InstitutionRepository } from '../store/institutions';
import { IssuedCredentialRepository } from '../store/issued-credentials';
import { StatusListRepository } from '../store/status-lists';
import { HolderCopyRepository } from '../store/holder-copies';
import { platformIdOfDid } from './issuer-identity';
import type { IssuanceDeps } from './pipeline';
import { StatusService } from './status-service';
import { createVerifier, type FullVerification, type VerifyInput } from './verifier';
import { VerifyPool } from './verify-pool';

export interface Issuance {
  deps: IssuanceDeps;
  keys: IssuerKeyManager;
  credentials: IssuedCredentialRepository;
  /** Wallet copies bound to a holder's DID (OpenID4VCI). */
  copies: HolderCopyRepository;
  status: StatusService;
  documentLoader: DocumentLoader;
  /** Verifies on the verification threads when there are any (503 when they are busy or the budget runs out). */
  verify(input: VerifyInput): Promise<FullVerification>;
  /** Stops the signing and verification threads, if any. */
  close(): Promise<void>;
}

/** 'auto': one thread less than the machine has cores (the main thread keeps one), at most 4. */
export function signingThreadsFor(setting: 'auto' | number): number {
  return setting === 'auto' ? Math.min(4, Math.max(0, availableParallelism() - 1)) : setting;
}

/** 'auto': one thread less than the machine has cores, at least one (never the event loop), at most 2. */
export function verifyThreadsFor(setting: 'auto' | number): number {
  return setting === 'auto' ? Math.min(2, Math.max(1, availableParallelism() - 1)) : setting;
}

/** Wires the credential side: keys, offline loader (our contexts and our issuers' DIDs), status, verifier. */
export function createIssuance(o: {
  connection: Connection;
  publicUrl: string;
  keyEncryptionKey: string;
  badges: BadgeRepository;
  decisions: DecisionRepository;
  institutions: InstitutionRepository;
  now: () => number;
  /** Threads for Data Integrity signing (0 or absent: sign on the calling thread). */
  signingThreads?: number;
  /** Threads for verification and their bounds (absent or 0 threads: verify on the calling thread). */
  verify?: { threads: number; timeoutMs: number; maxQueue: number };
}): Issuance {
  const keys = createIssuerKeyManager(o.connection, o.keyEncryptionKey);
  const resolveDid = keys.didResolver((did) => platformIdOfDid(o.publicUrl, did));
  const documentLoader = createDocumentLoader({ extra: euExtensionContextDocuments(o.publicUrl), resolveDid });
  const credentials = new IssuedCredentialRepository(o.connection, o.now);
  const slots = new StatusListRepository(o.connection);
  const signingPool = o.signingThreads
    ? new DataIntegritySigningPool({ threads: o.signingThreads, documents: euExtensionContextDocuments(o.publicUrl) })
    : null;
  const copies = new HolderCopyRepository(o.connection);
  const status = new StatusService({ publicUrl: o.publicUrl, slots, credentials, copies, keys, documentLoader, now: o.now });
  const deps: IssuanceDeps = {
    publicUrl: o.publicUrl,
    badges: o.badges,
    decisions: o.decisions,
    institutions: o.institutions,
    credentials,
    slots,
    status,
    keys,
    documentLoader,
    signingPool,
    now: o.now,
  };
  const verifyPool = o.verify?.threads
    ? new VerifyPool({
        ...o.verify,
        documents: euExtensionContextDocuments(o.publicUrl),
        resolveDid,
        statusOf: (url) => status.statusOfCredentialUrl(url),
        now: o.now,
      })
    : null;
  const verifyHere = createVerifier({ documentLoader, status, now: o.now });
  return {
    deps,
    keys,
    credentials,
    copies,
    status,
    documentLoader,
    verify: (input) => (verifyPool ? verifyPool.verify(input) : verifyHere(input)),
    close: async () => {
      await Promise.all([signingPool?.close(), verifyPool?.close()]);
    },
  };
}
