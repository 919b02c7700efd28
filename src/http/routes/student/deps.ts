import type { IssuanceDeps } from '../../../issuance/pipeline';
import type { DataSources } from '../../../lms/sources';
import type { BadgeRepository } from '../../../store/badges';
import type { DecisionRepository } from '../../../store/decisions';
import type { IssuedCredentialRepository } from '../../../store/issued-credentials';
import { requireRole } from '../../middleware/session';

export interface StudentDeps {
  credentials: IssuedCredentialRepository;
  issuance: IssuanceDeps;
  badges: BadgeRepository;
  decisions: DecisionRepository;
  sources: DataSources;
  now: () => number;
  /** Decisions younger than this are shown without asking Moodle again. */
  freshForMs?: number;
}

export const studentOnly = requireRole('student');
