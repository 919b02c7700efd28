import { EQF, NQF_TARGET_TYPE, nationalFramework, outcomeFramework } from './frameworks';
import { withoutUndefined } from './json';
import type { AchievementDefinition, JsonObject, LearningOutcome, NationalFrameworkLevel, StackedAchievement } from './types';

/** An outcome becomes an Alignment only when it points at a framework item: OB requires targetUrl. */
export function outcomeAlignment(outcome: LearningOutcome): JsonObject | undefined {
  if (outcome.targetUrl === undefined) return undefined;
  const known = outcome.framework === undefined ? undefined : outcomeFramework(outcome.framework);
  return withoutUndefined({
    type: ['Alignment'],
    targetName: outcome.text.en,
    targetUrl: outcome.targetUrl,
    targetCode: outcome.targetCode,
    targetFramework: known?.name ?? outcome.framework,
    targetType: known?.targetType,
  });
}

export function eqfAlignment(level: number): JsonObject {
  return {
    type: ['Alignment'],
    targetName: `EQF level ${level}`,
    targetCode: String(level),
    targetFramework: EQF.name,
    targetType: EQF.targetType,
    targetUrl: EQF.url,
  };
}

export function nationalLevelAlignment(nqf: NationalFrameworkLevel): JsonObject {
  const known = nationalFramework(nqf.framework);
  return {
    type: ['Alignment'],
    targetName: `${nqf.framework} level ${nqf.level}`,
    targetCode: String(nqf.level),
    targetFramework: nqf.frameworkName ?? known?.name ?? nqf.framework,
    targetType: NQF_TARGET_TYPE,
    // Checked before building: an unknown framework comes with its own URL.
    targetUrl: nqf.frameworkUrl ?? known?.url ?? '',
  };
}

/** A stacked micro-credential points at the smaller achievement it builds on; CTDL's type for a credential. */
export function stackedAlignment(s: StackedAchievement): JsonObject {
  return {
    type: ['Alignment'],
    targetName: s.name,
    targetUrl: s.achievementUrl,
    targetType: 'ceterms:Credential',
    targetDescription: 'Earning this achievement required this smaller achievement (stacked credential).',
  };
}

/** Learning outcomes first, then the levels (EU elements "learning outcomes" and "level"), then stacked achievements. */
export function achievementAlignments(def: AchievementDefinition): JsonObject[] {
  return [
    ...def.learningOutcomes.map(outcomeAlignment).filter((a): a is JsonObject => a !== undefined),
    ...(def.eqfLevel === undefined ? [] : [eqfAlignment(def.eqfLevel)]),
    ...(def.nationalFrameworkLevel === undefined ? [] : [nationalLevelAlignment(def.nationalFrameworkLevel)]),
    ...(def.stacksOn ?? []).map(stackedAlignment),
  ];
}
