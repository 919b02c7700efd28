import { parseBadgeDefinition } from '../../src/badges/definition';
import type { Decision } from '../../src/rules';
import type { StoredDecision } from '../../src/store/decisions';
import { badgeDefinitionInput } from './builders';
import type { RunningTool } from './tool';

export const INSTITUTION = {
  name: { en: 'University of Latvia', lv: 'Latvijas Universitāte' },
  url: 'https://www.lu.lv',
  email: 'info@lu.lv',
  address: { addressCountry: 'Latvia', addressCountryCode: 'LV', addressLocality: 'Rīga' },
  otherIdentifier: [{ identifier: '3341000218', identifierType: 'identifier' }],
};

/** An earned decision as the rules would make it for learner 4 (Essay 1 passed at 85 %, Final Project done). */
export function earnedDecision(now = new Date('2026-11-20T10:00:00Z')): Decision {
  const evidence = [
    { kind: 'grade' as const, gradeItemId: '2', activityId: '1', name: 'Essay 1', value: { grade: 85, min: 0, max: 100, percent: 85 }, date: now },
    { kind: 'activity-completion' as const, activityId: '2', name: 'Final Project', state: 'complete' as const, date: now },
  ];
  return {
    earned: true,
    status: 'earned',
    progress: { done: 2, required: 2, fraction: 1 },
    criteria: {
      rule: { type: 'all' },
      met: true,
      started: true,
      progress: { done: 2, required: 2, fraction: 1 },
      explanation: { kind: 'composite', mode: 'all', metCount: 2, needCount: 2, counted: [0, 1] },
      evidence,
      metAt: now,
      children: [],
    },
    evidence,
    earnedAt: now,
    window: null,
  };
}

/** A badge of `courseId` on `platformId`, defined by teacher 3 from badgeDefinitionInput() with `overrides`; its first version saved. */
export async function defineBadge(tool: RunningTool, platformId: string, courseId = '2', overrides: Record<string, unknown> = {}) {
  const parsed = parseBadgeDefinition({ ...badgeDefinitionInput(), ...overrides });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const badges = tool.issuance.deps.badges;
  const badge = await badges.create({ platformId, courseId, name: parsed.definition.name.en, createdBy: '3' });
  const version = await badges.saveVersion(badge, parsed.definition, '3');
  return { badge, version };
}

export interface EarnedAward {
  platformId: string;
  courseId: string;
  userId: string;
  badgeId: string;
  badgeVersion: number;
  learner: { name: string; email: string };
}

/** earnedDecision() as the stored decision of the rules that learner `award.userId` has earned the badge. */
export function earnedDecisionRecord(award: EarnedAward): StoredDecision {
  const decision = earnedDecision();
  return {
    ...award,
    source: 'rules',
    earned: true,
    status: 'earned',
    progress: decision.progress,
    decision,
    earnedAt: decision.earnedAt,
    evaluatedAt: new Date(),
  };
}

/** Records earnedDecisionRecord(award). */
export async function recordEarnedDecision(tool: RunningTool, award: EarnedAward) {
  await tool.issuance.deps.decisions.record(earnedDecisionRecord(award));
}

/** A defined badge in course 2 of the tool's first platform, with the institution profile set, and learner `userId` having earned it. */
export async function seedEarnedBadge(tool: RunningTool, userId = '4') {
  const [platform] = await tool.registry.list();
  await tool.issuance.deps.institutions.save(platform!.id, INSTITUTION, 'test');
  const { badge, version } = await defineBadge(tool, platform!.id);
  await recordEarnedDecision(tool, {
    platformId: platform!.id,
    courseId: '2',
    userId,
    badgeId: badge.id,
    badgeVersion: version.version,
    learner: { name: 'Sam Student', email: 'student1@example.com' },
  });
  return { platform: platform!, badge, version };
}
