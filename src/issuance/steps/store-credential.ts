import type { IssuedCredentialRepository } from '../../store/issued-credentials';
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
  const r = state.request;
  const slot = state.slot!;
  const { record, stored } = await deps.credentials.insertIssued({
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
    issuedAt: new Date(deps.now()),
    statusReason: null,
    statusChangedAt: null,
  });
  if (!stored) await deps.slots.release(slot, state.credentialId!);
  return { ...state, record };
}
