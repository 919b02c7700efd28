import { randomBytes } from 'node:crypto';
import type { BadgeDefinition } from '../badges/definition';
import type { AchievementDefinition, AssessedItem, AwardInput, CredentialStatusEntry, IssuerProfile } from '../credentials/build/types';
import type { Evidence } from '../rules';
import type { StoredDecision } from '../store/decisions';

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
}

const pct = (n: number) => (Math.round(n * 100) / 100).toString();

/** What was assessed: one result per grade or completion the decision used. */
function assessedFrom(evidence: readonly Evidence[]): { items: AssessedItem[]; results: AwardInput['results'] } {
  const items: AssessedItem[] = [];
  const results: Array<AwardInput['results'][number]> = [];
  for (const e of evidence) {
    if (e.kind === 'grade') {
      const id = `grade-${e.gradeItemId}`;
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
      items.push({ id, name: `Badge ${e.badgeId}`, resultType: 'Status' });
      results.push({ assessedItemId: id, value: 'earned', status: 'Completed' });
    }
  }
  return { items, results };
}

const dated = (e: Evidence) => ('date' in e && e.date ? ` (${new Date(e.date).toISOString().slice(0, 10)})` : '');

export function buildAwardInputs(f: AwardFacts): { achievement: AchievementDefinition; award: AwardInput } {
  const d = f.definition;
  const evidence = f.decision.decision.evidence;
  const { items, results } = assessedFrom(evidence);
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
        narrative: evidence.map((e) => `${e.kind === 'badge' ? `Badge ${e.badgeId}` : e.name}: ${e.kind === 'grade' ? `${e.value.grade} / ${e.value.max}` : e.kind === 'activity-completion' ? e.state : 'completed'}${dated(e)}`).join('\n') || how,
        ...(f.decision.earnedAt ? { date: new Date(f.decision.earnedAt) } : {}),
      },
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
