import type { BadgeVersion } from '../store/badges';
import type { StoredDecision } from '../store/decisions';
import type { IssuedCredential } from '../store/issued-credentials';
import type { InstitutionProfile } from '../issuers/profile';
import type { AchievementCredentialJson } from '../credentials/build/types';

/** A request to issue: who, which badge, from which launch (deployment), and what the learner chose to show. */
export interface IssueRequest {
  platformId: string;
  platformIssuer: string;
  deploymentId: string;
  courseId: string;
  courseTitle: string | null;
  userId: string;
  badgeId: string;
  learner: { name?: string | null; email?: string | null; showName: boolean };
}

/** What the steps pass along; each step adds its part. */
export interface IssueState {
  request: IssueRequest;
  decision?: StoredDecision;
  version?: BadgeVersion;
  institution?: InstitutionProfile;
  record?: IssuedCredential;
  /** False when another request owns the issuing; the pipeline then waits for its result. */
  owner?: boolean;
  /** True when this request created the claim (so it holds no status slot yet). */
  fresh?: boolean;
  unsigned?: AchievementCredentialJson;
  signed?: { json: Record<string, unknown>; jwt: string };
}
