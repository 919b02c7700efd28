import { achievementJson } from './achievement';
import { isoDateTime } from './dates';
import { learnerIdentifiers } from './identity';
import { withoutUndefined } from './json';
import type { AchievementDefinition, AwardInput, JsonObject } from './types';
import { achievementUrl, resultDescriptionUrl } from './urls';

export function resultsJson(award: AwardInput, def: AchievementDefinition, baseUrl: string): JsonObject[] {
  const achievementId = achievementUrl(baseUrl, def);
  return award.results.map((result) =>
    withoutUndefined({
      type: ['Result'],
      resultDescription: resultDescriptionUrl(achievementId, result.assessedItemId),
      value: result.value,
      status: result.status,
    }),
  );
}

/** The learner (no DID: identified by hashed identifiers) and what they achieved. */
export function achievementSubjectJson(award: AwardInput, def: AchievementDefinition, baseUrl: string): JsonObject {
  const results = resultsJson(award, def, baseUrl);
  return withoutUndefined({
    type: ['AchievementSubject'],
    // For wallets that display `credentialSubject.name`; the OB-native form is the 'name' IdentityObject.
    name: award.learner.showName ? award.learner.name : undefined,
    identifier: learnerIdentifiers(award),
    achievement: achievementJson(def, baseUrl),
    result: results.length > 0 ? results : undefined,
    creditsEarned: award.creditsEarned,
    activityStartDate: award.activityStartDate && isoDateTime(award.activityStartDate),
    activityEndDate: award.activityEndDate && isoDateTime(award.activityEndDate),
  });
}
