import { randomBytes } from 'node:crypto';
import type { BadgeDefinition } from '../badges/definition';
import type { AchievementDefinition, AssessedItem, AwardInput, CredentialStatusEntry, IssuerProfile } from '../credentials/build/types';
import type { AssessedGrade, Evidence } from '../rules';
import type { StoredDecision } from '../store/decisions';
import { assessmentLine, assessmentResults, gradeItemKey } from './assessment-results';

/** A badge the rule required ("badge earned"): the smaller achievement and the learner's credentials for it. */
export interface StackedCredential {
  badgeId: string;
  name: string;
  achievementUrl: string;
  /** URLs (ids) of the learner's issued credentials for it; empty when none is issued yet. */
  credentialIds: string[];
}

/** Data of one award that the credential states (pure mapping from the product's records to the builder's inputs). */
export interface AwardFacts {
  badgeId: string;
  badgeVersion: number;
  definition: BadgeDefinition;
  decision: StoredDecision;
  issuer: IssuerProfile;
  imageUrl: string;
  platformIssuer: string;
  courseTitle: string | null;
  learner: { userId: string; email?: string | null; name?: string | null; showName: boolean };
  credentialUrl: string;
  issuedAt: Date;
  status: CredentialStatusEntry | null;
  /** The badges a "badge earned" rule used; absent or empty when none. */
  stackedOn?: StackedCredential[];
}

const pct = (n: number) => (Math.round(n * 100) / 100).toString();

/**
 * What was assessed: every grade item in the badge's scope (the decision's `assessment`, minus the items the teacher
 * unticked), then one result per completion or badge the decision used. Decisions from before `assessment` existed
 * state the grades the decision used, as percent.
 */
function assessedFrom(
  evidence: readonly Evidence[],
  assessment: readonly AssessedGrade[] | undefined,
  excluded: readonly string[] | undefined,
  stackedOn: readonly StackedCredential[],
): { items: AssessedItem[]; results: AwardInput['results'] } {
  const { items, results } = assessment
    ? assessmentResults(assessment, excluded)
    : { items: [] as AssessedItem[], results: [] as Array<AwardInput['results'][number]> };
  for (const e of evidence) {
    if (e.kind === 'grade') {
      if (assessment) continue;
      const id = gradeItemKey(e.gradeItemId);
      const percent = e.value.percent ?? (e.value.max > e.value.min ? ((e.value.grade - e.value.min) / (e.value.max - e.value.min)) * 100 : null);
      items.push({ id, name: e.name, resultType: 'Percent', valueMax: '100' });
      results.push({ assessedItemId: id, value: percent === null ? String(e.value.grade) : pct(percent), status: 'Completed' });
    } else if (e.kind === 'activity-completion') {
      const id = `activity-${e.activityId}`;
      items.push({ id, name: e.name, resultType: 'Status' });
      results.push({ assessedItemId: id, value: e.state, status: e.state === 'complete-fail' ? 'Failed' : 'Completed' });
    } else if (e.kind === 'course-completion') {
      items.push({ id: 'course', name: e.name, resultType: 'Status' });
      results.push({ assessedItemId: 'course', value: 'complete', status: 'Completed' });
    } else {
      const id = `badge-${e.badgeId}`;
      const stacked = stackedOn.find((b) => b.badgeId === e.badgeId);
      items.push({ id, name: stacked ? stacked.name : `Badge ${e.badgeId}`, resultType: 'Status' });
      results.push({ assessedItemId: id, value: 'earned', status: 'Completed' });
    }
  }
  return { items, results };
}

const dated = (e: Evidence) => ('date' in e && e.date ? ` (${new Date(e.date).toISOString().slice(0, 10)})` : '');

const evidenceLine = (e: Evidence) =>
  `${e.kind === 'badge' ? `Badge ${e.badgeId}` : e.name}: ${e.kind === 'grade' ? `${e.value.grade} / ${e.value.max}` : e.kind === 'activity-completion' ? e.state : 'completed'}${dated(e)}`;

/** The Moodle facts in words: completions and badges the rule used, then the grade of every assessed item. */
function narrativeOf(evidence: readonly Evidence[], assessment: readonly AssessedGrade[] | undefined, excluded: readonly string[]): string {
  const skip = new Set(excluded);
  const lines = assessment
    ? [...evidence.filter((e) => e.kind !== 'grade').map(evidenceLine), ...assessment.filter((g) => !skip.has(g.gradeItemId)).map(assessmentLine)]
    : evidence.map(evidenceLine);
  return lines.join('\n');
}

/** The stacked-on credentials as evidence: one entry per credential id, or one saying none is issued yet. */
function stackedEvidence(stackedOn: readonly StackedCredential[]): AwardInput['evidence'][number][] {
  return stackedOn.flatMap((b) =>
    b.credentialIds.length
      ? b.credentialIds.map((id) => ({
          id,
          name: `Credential: ${b.name}`,
          genre: 'Credential',
          description: `The learner's credential for "${b.name}", which satisfied the rule "badge earned".`,
        }))
      : [
          {
            name: `Achievement: ${b.name}`,
            genre: 'Credential',
            description: `The learner earned "${b.name}" (rule "badge earned"); no credential for it had been issued yet.`,
          },
        ],
  );
}

export function buildAwardInputs(f: AwardFacts): { achievement: AchievementDefinition; award: AwardInput } {
  const d = f.definition;
  const evidence = f.decision.decision.evidence;
  const assessment = f.decision.decision.assessment;
  const excluded = d.excludedGradeItems ?? [];
  const stackedOn = f.stackedOn ?? [];
  const { items, results } = assessedFrom(evidence, assessment, excluded, stackedOn);
  const achievement: AchievementDefinition = {
    badgeId: f.badgeId,
    version: f.badgeVersion,
    achievementType: d.achievementType,
    name: d.name,
    description: d.description,
    criteriaNarrative: d.criteriaNarrative,
    learningOutcomes: d.learningOutcomes,
    ...(d.eqfLevel !== undefined ? { eqfLevel: d.eqfLevel } : {}),
    ...(d.nationalFrameworkLevel ? { nationalFrameworkLevel: d.nationalFrameworkLevel } : {}),
    ...(d.ectsCredits !== undefined ? { ectsCredits: d.ectsCredits } : {}),
    ...(d.workloadHours !== undefined ? { workloadHours: d.workloadHours } : {}),
    assessmentType: d.assessmentType,
    participationForm: d.participationForm,
    qualityAssurance: d.qualityAssurance,
    inLanguage: d.inLanguage,
    ...(d.fieldOfStudy ? { fieldOfStudy: parseField(d.fieldOfStudy) } : {}),
    imageUrl: f.imageUrl,
    ...(d.validForMonths !== undefined ? { validForMonths: d.validForMonths } : {}),
    assessedItems: items,
    ...(stackedOn.length ? { stacksOn: stackedOn.map((b) => ({ name: b.name, achievementUrl: b.achievementUrl })) } : {}),
    creatorProfile: f.issuer,
  };
  const how =
    f.decision.source === 'gated-launch'
      ? 'Moodle let the learner open this badge activity only after the requirements the teacher set with "Restrict access" were met.'
      : f.decision.source === 'manual'
        ? 'Awarded by hand by a teacher.'
        : `Decided by the tool from Moodle completion and grades${f.courseTitle ? ` in "${f.courseTitle}"` : ''}.`;
  const award: AwardInput = {
    learner: {
      moodleUserId: f.learner.userId,
      platformIssuer: f.platformIssuer,
      ...(f.learner.email ? { email: f.learner.email } : {}),
      ...(f.learner.name ? { name: f.learner.name } : {}),
      showName: f.learner.showName && !!f.learner.name,
    },
    identifierSalt: randomBytes(16).toString('hex'),
    results,
    evidence: [
      {
        name: 'Assessment in Moodle',
        description: how,
        narrative: narrativeOf(evidence, assessment, excluded) || how,
        ...(f.decision.earnedAt ? { date: new Date(f.decision.earnedAt) } : {}),
      },
      ...stackedEvidence(stackedOn),
    ],
    ...(f.decision.earnedAt ? { activityEndDate: new Date(f.decision.earnedAt) } : {}),
    ...(d.ectsCredits !== undefined ? { creditsEarned: d.ectsCredits } : {}),
    credentialId: f.credentialUrl,
    issuedAt: f.issuedAt,
    ...(f.status ? { credentialStatus: [f.status] } : {}),
    ...(f.decision.manual ? { manualAward: f.decision.manual } : {}),
  };
  return { achievement, award };
}

/** "0613 Software development" → code + name; free text → name only. */
function parseField(text: string): { code?: string; name: string } {
  const m = /^(\d{2,4})\s+(.+)$/.exec(text.trim());
  return m ? { code: m[1]!, name: m[2]! } : { name: text.trim() };
}
