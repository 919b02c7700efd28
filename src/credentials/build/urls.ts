import type { AchievementDefinition } from './types';

export const trimBaseUrl = (baseUrl: string) => baseUrl.replace(/\/+$/, '');

/** One URL per badge version: a new version is a new Achievement, old credentials keep pointing at theirs. */
export const achievementUrl = (baseUrl: string, def: Pick<AchievementDefinition, 'badgeId' | 'version'>) =>
  `${trimBaseUrl(baseUrl)}/achievements/${encodeURIComponent(def.badgeId)}/v${def.version}`;

/** A fragment of the achievement page: the page states the criteria, no separate document to serve. */
export const criteriaUrl = (achievementId: string) => `${achievementId}#criteria`;

export const resultDescriptionUrl = (achievementId: string, assessedItemId: string) => `${achievementId}#result-${encodeURIComponent(assessedItemId)}`;

export const isAbsoluteUrl = (value: string, schemes: readonly string[] = ['https:', 'http:']) => {
  try {
    return schemes.includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** http on this machine (development, tests, the demo) is accepted where production needs https. */
export const isLoopbackHttpUrl = (value: string) => {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
};
