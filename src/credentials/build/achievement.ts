import { achievementAlignments } from './alignments';
import { withoutUndefined } from './json';
import { languageMap } from './localized';
import { issuerProfileJson } from './profile';
import type { AchievementDefinition, JsonObject } from './types';
import { achievementUrl, criteriaUrl, resultDescriptionUrl } from './urls';

/** The `type` an Achievement gets when it claims the EU micro-credential elements (README in eu-extension/). */
export const EU_MICROCREDENTIAL_TYPE = 'EuMicroCredential';

export function resultDescriptionsJson(def: AchievementDefinition, achievementId: string): JsonObject[] {
  return def.assessedItems.map((item) =>
    withoutUndefined({
      id: resultDescriptionUrl(achievementId, item.id),
      type: ['ResultDescription'],
      name: item.name,
      resultType: item.resultType,
      allowedValue: item.allowedValue && [...item.allowedValue],
      valueMin: item.valueMin,
      valueMax: item.valueMax,
      requiredValue: item.requiredValue,
    }),
  );
}

/** Every outcome, with its text in each language; those pointing at a framework item are also Alignments. */
export function learningOutcomesJson(def: AchievementDefinition): JsonObject[] {
  return def.learningOutcomes.map((outcome) =>
    withoutUndefined({
      type: ['LearningOutcome'],
      statement: languageMap(outcome.text),
      framework: outcome.framework,
      frameworkItem: outcome.targetUrl,
      frameworkItemCode: outcome.targetCode,
    }),
  );
}

const nonEmpty = <T>(items: T[]) => (items.length > 0 ? items : undefined);

/**
 * The embedded OB 3.0 Achievement: native OB fields carry English and everything OB can say;
 * the extension terms (nameLocalized, learningOutcome, workloadHours, …) carry the rest.
 */
export function achievementJson(def: AchievementDefinition, baseUrl: string): JsonObject {
  const id = achievementUrl(baseUrl, def);
  const nqf = def.nationalFrameworkLevel;
  return withoutUndefined({
    id,
    type: def.achievementType === 'MicroCredential' ? ['Achievement', EU_MICROCREDENTIAL_TYPE] : ['Achievement'],
    achievementType: def.achievementType,
    name: def.name.en,
    nameLocalized: languageMap(def.name),
    description: def.description.en,
    descriptionLocalized: languageMap(def.description),
    criteria: {
      id: criteriaUrl(id),
      narrative: def.criteriaNarrative.en,
      narrativeLocalized: languageMap(def.criteriaNarrative),
    },
    image: { id: def.imageUrl, type: 'Image' },
    creator: issuerProfileJson(def.creatorProfile),
    version: String(def.version),
    // OB allows one language here: the main language of instruction; all of them go in `languages`.
    inLanguage: def.inLanguage[0],
    languages: [...def.inLanguage],
    fieldOfStudy: def.fieldOfStudy?.name,
    iscedFieldCode: def.fieldOfStudy?.code,
    creditsAvailable: def.ectsCredits,
    alignment: nonEmpty(achievementAlignments(def)),
    resultDescription: nonEmpty(resultDescriptionsJson(def, id)),
    learningOutcome: nonEmpty(learningOutcomesJson(def)),
    workloadHours: def.workloadHours,
    eqfLevel: def.eqfLevel,
    nationalQualificationFramework: nqf?.framework,
    nationalQualificationLevel: nqf?.level,
    assessmentType: languageMap(def.assessmentType),
    participationForm: def.participationForm,
    qualityAssurance: languageMap(def.qualityAssurance),
  });
}
