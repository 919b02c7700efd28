import { achievementUrl } from '../../credentials/build/urls';
import type { BadgeRepository } from '../../store/badges';
import type { DecisionRepository } from '../../store/decisions';
import type { IssuedCredentialRepository } from '../../store/issued-credentials';
import type { StackedCredential } from '../award-input';
import type { IssueState } from '../context';

/**
 * Step 2b: the smaller badges a "badge earned" rule used (the decision's badge evidence), each with its achievement
 * (the version of the learner's credential, else of their earned decision) and the learner's credentials for it,
 * so the larger credential can point at both. Revoked credentials are not named.
 */
export async function loadStacked(
  deps: { publicUrl: string; badges: BadgeRepository; decisions: DecisionRepository; credentials: IssuedCredentialRepository },
  state: IssueState,
): Promise<IssueState> {
  const r = state.request;
  const badgeIds = [...new Set(state.decision!.decision.evidence.filter((e) => e.kind === 'badge').map((e) => e.badgeId))];
  if (!badgeIds.length) return state;
  const held = (await deps.credentials.listForLearner(r.platformId, r.userId)).filter((c) => c.status !== 'revoked');
  const stackedOn: StackedCredential[] = [];
  for (const badgeId of badgeIds) {
    const badge = await deps.badges.findById(badgeId);
    if (!badge) continue;
    const credentials = held.filter((c) => c.badgeId === badgeId);
    const earned = (await deps.decisions.listForCourse(r.platformId, badge.courseId, { userId: r.userId, badgeId }))
      .filter((d) => d.earned)
      .sort((a, b) => b.badgeVersion - a.badgeVersion)[0];
    const version = credentials[0]?.badgeVersion ?? earned?.badgeVersion ?? badge.currentVersion;
    stackedOn.push({
      badgeId,
      name: credentials[0]?.achievementName ?? badge.name,
      achievementUrl: achievementUrl(deps.publicUrl, { badgeId, version }),
      credentialIds: credentials.map((c) => (typeof c.json?.id === 'string' ? c.json.id : `${deps.publicUrl}/credentials/${c.id}`)),
    });
  }
  return { ...state, stackedOn };
}
