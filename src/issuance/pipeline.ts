import type { DocumentLoader } from '../credentials/contexts/document-loader';
import type { IssuerKeyManager } from '../credentials/keys';
import type { DataIntegritySigningPool } from '../credentials/proof/signing-pool';
import type { BadgeRepository } from '../store/badges';
import type { DecisionRepository } from '../store/decisions';
import type { InstitutionRepository } from '../store/institutions';
import type { IssuedCredential, IssuedCredentialRepository } from '../store/issued-credentials';
import type { StatusListRepository } from '../store/status-lists';
import type { IssueRequest, IssueState } from './context';
import type { StatusService } from './status-service';
import { buildCredential } from './steps/build-credential';
import { checkNotIssued } from './steps/check-not-issued';
import { loadDecision } from './steps/load-decision';
import { loadStacked } from './steps/load-stacked';
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
  /** Threads for Data Integrity signing; without them it runs on the calling thread. */
  signingPool?: DataIntegritySigningPool | null;
  now: () => number;
}

/**
 * Requests being issued in this process, per award: a double click or a second tab joins the first and gets its
 * credential. The key leaves out what the learner chose to show (their name): as with any repeat of an issued
 * award, the first request's choice stands.
 */
const inFlight = new WeakMap<IssuanceDeps, Map<string, Promise<IssuedCredential>>>();

/**
 * The issuance pipeline, one step per file: load decision → check not already issued → build → validate →
 * sign → store. Idempotent: any number of requests for one award give one credential. Concurrent requests in
 * this process share one run; across processes the store step's unique key lets exactly one credential in.
 */
export function issueCredential(deps: IssuanceDeps, request: IssueRequest): Promise<IssuedCredential> {
  const key = [request.platformId, request.deploymentId, request.userId, request.badgeId].join('\u0000');
  let running = inFlight.get(deps);
  if (!running) inFlight.set(deps, (running = new Map()));
  const joined = running.get(key);
  if (joined) return joined;
  const run = runPipeline(deps, request).finally(() => running.delete(key));
  running.set(key, run);
  return run;
}

async function runPipeline(deps: IssuanceDeps, request: IssueRequest): Promise<IssuedCredential> {
  let state: IssueState = { request };
  state = await loadDecision(deps, state);
  state = await checkNotIssued(deps, state);
  if (state.record) return state.record;
  state = await loadStacked(deps, state);
  state = await buildCredential(deps, state);
  try {
    state = validateCredential(state);
    state = await signCredential(deps, state);
    state = await storeCredential(deps, state);
  } catch (err) {
    // nothing was stored: the status slot goes back (a retry takes a fresh one)
    await deps.slots.release(state.slot!, state.credentialId!).catch(() => undefined);
    throw err;
  }
  return state.record!;
}
