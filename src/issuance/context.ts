import type { BadgeVersion } from '../store/badges';
import type { StoredDecision } from '../store/decisions';
import type { IssuedCredential } from '../store/issued-credentials';
import type { StatusSlot } from '../store/status-lists';
import type { InstitutionProfile } from '../issuers/profile';
import type { AchievementCredentialJson } from '../credentials/build/types';
import type { StackedCredential } from './award-input';

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
  /** The award's key: one credential per (platform, deployment, learner, badge version). */
  idempotencyKey?: string;
  /** The credential being made: its id and status slot. */
  credentialId?: string;
  slot?: StatusSlot;
  /** The stored credential: found already issued, or just stored (by this request or one that won the race). */
  record?: IssuedCredential;
  /** The badges a "badge earned" rule used, with the learner's credentials for them. */
  stackedOn?: StackedCredential[];
  unsigned?: AchievementCredentialJson;
  signed?: { json: Record<string, unknown>; jwt: string };
}
