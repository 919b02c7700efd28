import { idempotencyKeyOf, type IssuedCredentialRepository } from '../../store/issued-credentials';
import type { IssueState } from '../context';

/**
 * Step 2: check the award is not already issued, atomically. The idempotency key (platform, deployment,
 * learner, badge version) has a unique index; the first request claims it, every other one gets the same
 * record and `owner: false`.
 */
export async function claimAward(deps: { credentials: IssuedCredentialRepository }, state: IssueState): Promise<IssueState> {
  const r = state.request;
  const d = state.decision!;
  const { record, owner, fresh } = await deps.credentials.claim({
    idempotencyKey: idempotencyKeyOf({ platformId: r.platformId, deploymentId: r.deploymentId, userId: r.userId, badgeId: r.badgeId, badgeVersion: d.badgeVersion }),
    platformId: r.platformId,
    deploymentId: r.deploymentId,
    courseId: r.courseId,
    userId: r.userId,
    badgeId: r.badgeId,
    badgeVersion: d.badgeVersion,
    achievementName: state.version!.definition.name.en,
  });
  return { ...state, record, owner, fresh };
}
