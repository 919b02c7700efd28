import { idempotencyKeyOf, type IssuedCredentialRepository } from '../../store/issued-credentials';
import type { IssueState } from '../context';

/**
 * Step 2: is the award already issued? One read by primary key (the idempotency key: platform, deployment,
 * learner, badge version). This only saves work: two requests that both pass it are settled when storing, where
 * the same key lets exactly one of them in.
 */
export async function checkNotIssued(deps: { credentials: IssuedCredentialRepository }, state: IssueState): Promise<IssueState> {
  const r = state.request;
  const idempotencyKey = idempotencyKeyOf({ platformId: r.platformId, userId: r.userId, badgeId: r.badgeId, badgeVersion: state.decision!.badgeVersion });
  const existing = await deps.credentials.findIssuedByKey(idempotencyKey);
  return { ...state, idempotencyKey, ...(existing ? { record: existing } : {}) };
}
