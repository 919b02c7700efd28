import type { IssuedCredential, IssuedCredentialRepository } from '../../store/issued-credentials';
import type { StatusListRepository } from '../../store/status-lists';
import type { IssueState } from '../context';

/**
 * Step 6: store before anyone is told, in one insert keyed by the award. If another request stored first (two
 * processes, or a retry racing the original), its credential is the answer and this one's status slot is given
 * back: the losing credential was never stored or shown, so nothing refers to it.
 */
export async function storeCredential(
  deps: { credentials: IssuedCredentialRepository; slots: StatusListRepository; now: () => number },
  state: IssueState,
): Promise<IssueState> {
  const { record, stored } = await deps.credentials.insertIssued(recordOf(state, new Date(deps.now())));
  if (!stored) await deps.slots.release(state.slot!, state.credentialId!);
  return { ...state, record };
}

/** The record stored for a signed credential (bulk issuance stores many in one insert). */
export function recordOf(state: IssueState, issuedAt: Date): IssuedCredential {
  const r = state.request;
  const slot = state.slot!;
  return {
    id: state.credentialId!,
    idempotencyKey: state.idempotencyKey!,
    state: 'issued',
    platformId: r.platformId,
    deploymentId: r.deploymentId,
    courseId: r.courseId,
    userId: r.userId,
    badgeId: r.badgeId,
    badgeVersion: state.decision!.badgeVersion,
    status: 'active',
    statusSlot: { listId: slot.listId, index: slot.index },
    json: state.signed!.json,
    jwt: state.signed!.jwt,
    achievementName: state.version!.definition.name.en,
    issuedAt,
    statusReason: null,
    statusChangedAt: null,
  };
}
