import type { DocumentLoader } from '../credentials/contexts/document-loader';
import type { IssuerKeyManager } from '../credentials/keys';
import { AppError } from '../errors';
import type { BadgeRepository } from '../store/badges';
import type { DecisionRepository } from '../store/decisions';
import type { InstitutionRepository } from '../store/institutions';
import type { IssuedCredential, IssuedCredentialRepository } from '../store/issued-credentials';
import type { StatusListRepository } from '../store/status-lists';
import type { IssueRequest, IssueState } from './context';
import type { StatusService } from './status-service';
import { buildCredential } from './steps/build-credential';
import { claimAward } from './steps/claim-award';
import { loadDecision } from './steps/load-decision';
import { signCredential } from './steps/sign-credential';
import { storeCredential } from './steps/store-credential';
import { validateCredential } from './steps/validate-credential';

export interface IssuanceDeps {
  publicUrl: string;
  badges: BadgeRepository;
  decisions: DecisionRepository;
  institutions: InstitutionRepository;
  credentials: IssuedCredentialRepository;
  slots: StatusListRepository;
  status: StatusService;
  keys: IssuerKeyManager;
  documentLoader: DocumentLoader;
  now: () => number;
  /** How long a request waits for a concurrent one issuing the same award. */
  waitMs?: number;
}

/**
 * The issuance pipeline, one step per file: load decision → check not already issued → build → validate →
 * sign → store. Idempotent: any number of requests for one award give one credential.
 */
export async function issueCredential(deps: IssuanceDeps, request: IssueRequest): Promise<IssuedCredential> {
  let state: IssueState = { request };
  state = await loadDecision(deps, state);
  state = await claimAward(deps, state);
  if (state.record!.state === 'issued') return state.record!;
  if (!state.owner) return waitForIssued(deps, state.record!.id);
  state = await buildCredential(deps, state);
  state = validateCredential(state);
  state = await signCredential(deps, state);
  state = await storeCredential(deps, state);
  return state.record!;
}

async function waitForIssued(deps: IssuanceDeps, id: string): Promise<IssuedCredential> {
  const deadline = Date.now() + (deps.waitMs ?? 30_000);
  for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 500)) {
    const record = await deps.credentials.findById(id);
    if (record?.state === 'issued') return record;
    await new Promise((r) => setTimeout(r, delay));
  }
  throw new AppError('ISSUANCE_IN_PROGRESS', 'The credential is still being issued: try again in a moment.', { status: 503 });
}
