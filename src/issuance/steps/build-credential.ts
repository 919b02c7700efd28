import { randomUUID } from 'node:crypto';
import { buildAchievementCredential } from '../../credentials/build/build-credential';
import type { StatusListRepository, StatusSlot } from '../../store/status-lists';
import { buildAwardInputs } from '../award-input';
import type { IssueState } from '../context';
import { issuerIdentity, issuerProfile } from '../issuer-identity';
import type { StatusService } from '../status-service';

/** Step 3: the credential's id and status slot, then the unsigned OB 3.0 credential. */
export async function buildCredential(
  deps: { publicUrl: string; slots: StatusListRepository; status: StatusService; now: () => number },
  state: IssueState,
): Promise<IssueState> {
  const credentialId = randomUUID();
  const slot = await deps.slots.allocate(state.request.platformId, credentialId);
  return composeCredential(deps, state, credentialId, slot);
}

/** The unsigned credential for an id and slot already chosen (pure; bulk issuance reserves slots by the block). */
export function composeCredential(
  deps: { publicUrl: string; status: StatusService; now: () => number },
  state: IssueState,
  credentialId: string,
  slot: StatusSlot,
): IssueState {
  const r = state.request;
  const identity = issuerIdentity(deps.publicUrl, r.platformId);
  const issuer = issuerProfile(identity, state.institution!);
  const { achievement, award } = buildAwardInputs({
    badgeId: r.badgeId,
    badgeVersion: state.version!.version,
    definition: state.version!.definition,
    decision: state.decision!,
    issuer,
    imageUrl: `${deps.publicUrl}/badges/${r.badgeId}/versions/${state.version!.version}/image.png`,
    platformIssuer: r.platformIssuer,
    courseTitle: r.courseTitle,
    learner: { userId: r.userId, ...r.learner },
    credentialUrl: `${deps.publicUrl}/credentials/${credentialId}`,
    issuedAt: new Date(deps.now()),
    status: deps.status.entryFor(slot),
    ...(state.stackedOn ? { stackedOn: state.stackedOn } : {}),
  });
  return {
    ...state,
    credentialId,
    slot,
    unsigned: buildAchievementCredential({ issuer, achievement, award, baseUrl: deps.publicUrl }),
  };
}
