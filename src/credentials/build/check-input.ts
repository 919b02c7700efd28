import { AppError } from '../../errors';
import { isValidDate } from './dates';
import { nationalFramework } from './frameworks';
import type { AchievementDefinition, AwardInput, BuildCredentialInput, IssuerProfile, LocalizedText } from './types';
import { isAbsoluteUrl, isLoopbackHttpUrl } from './urls';

/** Same pattern as the formal schema's Achievement.inLanguage. */
const LANGUAGE_TAG = /^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/;
const MIN_SALT_LENGTH = 16;

const blank = (value: string | undefined) => value === undefined || value.trim() === '';
const isPositiveInteger = (value: number) => Number.isInteger(value) && value > 0;
const isNonNegative = (value: number) => Number.isFinite(value) && value >= 0;

function localizedProblems(field: string, text: LocalizedText | undefined): string[] {
  return text === undefined || blank(text.en) ? [`${field}.en is empty`] : [];
}

export function issuerProblems(issuer: IssuerProfile, field = 'issuer'): string[] {
  const problems: string[] = [];
  if (!isAbsoluteUrl(issuer.id, ['https:']) && !isLoopbackHttpUrl(issuer.id)) problems.push(`${field}.id must be an https URL`);
  if (!/^did:web:[^:#?/]+(:[^:#?/]+)*$/.test(issuer.did)) problems.push(`${field}.did must be a did:web identifier`);
  problems.push(...localizedProblems(`${field}.name`, issuer.name));
  if (!isAbsoluteUrl(issuer.url)) problems.push(`${field}.url must be an absolute URL`);
  if (blank(issuer.email)) problems.push(`${field}.email is empty`);
  if (blank(issuer.address.addressCountry)) problems.push(`${field}.address.addressCountry is empty`);
  if (!/^[A-Z]{2}$/.test(issuer.address.addressCountryCode)) {
    problems.push(`${field}.address.addressCountryCode must be an ISO 3166-1 alpha-2 code such as "LV"`);
  }
  if (issuer.imageUrl !== undefined && !isAbsoluteUrl(issuer.imageUrl)) problems.push(`${field}.imageUrl must be an absolute URL`);
  return problems;
}

/**
 * What a badge version must state before anything is issued from it; the teacher UI can show these
 * when the definition is saved. A MicroCredential must carry the EU elements the definition holds
 * (learning outcomes, workload); level is "where applicable" in the Council Recommendation, so optional.
 */
export function definitionProblems(def: AchievementDefinition): string[] {
  const problems: string[] = [];
  if (blank(def.badgeId)) problems.push('achievement.badgeId is empty');
  if (!isPositiveInteger(def.version)) problems.push('achievement.version must be a positive integer');
  for (const field of ['name', 'description', 'criteriaNarrative', 'assessmentType', 'qualityAssurance'] as const) {
    problems.push(...localizedProblems(`achievement.${field}`, def[field]));
  }
  def.learningOutcomes.forEach((outcome, i) => {
    problems.push(...localizedProblems(`achievement.learningOutcomes[${i}].text`, outcome.text));
    if (outcome.targetUrl !== undefined && !isAbsoluteUrl(outcome.targetUrl)) {
      problems.push(`achievement.learningOutcomes[${i}].targetUrl must be an absolute URL`);
    }
  });
  if (def.eqfLevel !== undefined && !(Number.isInteger(def.eqfLevel) && def.eqfLevel >= 1 && def.eqfLevel <= 8)) {
    problems.push('achievement.eqfLevel must be an integer from 1 to 8');
  }
  const nqf = def.nationalFrameworkLevel;
  if (nqf !== undefined) {
    if (!isPositiveInteger(nqf.level)) problems.push('achievement.nationalFrameworkLevel.level must be a positive integer');
    const known = nationalFramework(nqf.framework);
    if (!known && (blank(nqf.frameworkName) || nqf.frameworkUrl === undefined || !isAbsoluteUrl(nqf.frameworkUrl))) {
      problems.push(`achievement.nationalFrameworkLevel: unknown framework "${nqf.framework}" needs frameworkName and frameworkUrl`);
    }
  }
  if (def.ectsCredits !== undefined && !isNonNegative(def.ectsCredits)) problems.push('achievement.ectsCredits must be a number ≥ 0');
  if (def.workloadHours !== undefined && !(Number.isFinite(def.workloadHours) && def.workloadHours > 0)) {
    problems.push('achievement.workloadHours must be a number > 0');
  }
  if (!['online', 'onsite', 'blended'].includes(def.participationForm)) {
    problems.push('achievement.participationForm must be online, onsite or blended');
  }
  if (def.inLanguage.length === 0) problems.push('achievement.inLanguage needs at least one language');
  for (const tag of def.inLanguage) if (!LANGUAGE_TAG.test(tag)) problems.push(`achievement.inLanguage "${tag}" is not a language tag such as "lv"`);
  if (def.fieldOfStudy !== undefined && blank(def.fieldOfStudy.name)) problems.push('achievement.fieldOfStudy.name is empty');
  if (!isAbsoluteUrl(def.imageUrl)) problems.push('achievement.imageUrl must be an absolute URL');
  if (def.validForMonths !== undefined && !isPositiveInteger(def.validForMonths)) {
    problems.push('achievement.validForMonths must be a positive integer');
  }
  const itemIds = new Set<string>();
  def.assessedItems.forEach((item, i) => {
    if (blank(item.id) || blank(item.name)) problems.push(`achievement.assessedItems[${i}] needs an id and a name`);
    if (itemIds.has(item.id)) problems.push(`achievement.assessedItems[${i}].id "${item.id}" is used twice`);
    itemIds.add(item.id);
  });
  def.stacksOn?.forEach((s, i) => {
    if (blank(s.name) || !isAbsoluteUrl(s.achievementUrl)) problems.push(`achievement.stacksOn[${i}] needs a name and an absolute URL`);
  });
  if (def.achievementType === 'MicroCredential') {
    if (def.learningOutcomes.length === 0) problems.push('a MicroCredential needs at least one learning outcome');
    if (def.ectsCredits === undefined && def.workloadHours === undefined) {
      problems.push('a MicroCredential needs its notional workload: ectsCredits or workloadHours');
    }
  }
  problems.push(...issuerProblems(def.creatorProfile, 'achievement.creatorProfile'));
  return problems;
}

export function awardProblems(award: AwardInput, def: AchievementDefinition): string[] {
  const problems: string[] = [];
  if (blank(award.learner.moodleUserId) || blank(award.learner.platformIssuer)) {
    problems.push('award.learner needs moodleUserId and platformIssuer');
  }
  if (award.learner.showName && blank(award.learner.name)) problems.push('award.learner.showName is set but the name is empty');
  if (award.identifierSalt.length < MIN_SALT_LENGTH) problems.push(`award.identifierSalt must have at least ${MIN_SALT_LENGTH} characters`);
  const itemIds = new Set(def.assessedItems.map((item) => item.id));
  const seen = new Set<string>();
  award.results.forEach((result, i) => {
    if (!itemIds.has(result.assessedItemId)) problems.push(`award.results[${i}] refers to unknown assessed item "${result.assessedItemId}"`);
    if (seen.has(result.assessedItemId)) problems.push(`award.results[${i}] repeats assessed item "${result.assessedItemId}"`);
    seen.add(result.assessedItemId);
  });
  award.evidence.forEach((item, i) => {
    if (item.id !== undefined && !isAbsoluteUrl(item.id)) problems.push(`award.evidence[${i}].id must be an absolute URL`);
    if (item.date !== undefined && !isValidDate(item.date)) problems.push(`award.evidence[${i}].date is not a valid date`);
  });
  if (!isValidDate(award.issuedAt)) problems.push('award.issuedAt is not a valid date');
  for (const field of ['activityStartDate', 'activityEndDate'] as const) {
    const date = award[field];
    if (date !== undefined && !isValidDate(date)) problems.push(`award.${field} is not a valid date`);
  }
  if (award.creditsEarned !== undefined && !isNonNegative(award.creditsEarned)) problems.push('award.creditsEarned must be a number ≥ 0');
  if (!isAbsoluteUrl(award.credentialId)) problems.push('award.credentialId must be an absolute URL');
  if ((award.credentialStatus?.length ?? 0) > 1) {
    problems.push('award.credentialStatus: the OB 3.0 schema allows one status entry per credential');
  }
  if (award.manualAward !== undefined && (blank(award.manualAward.by) || blank(award.manualAward.reason))) {
    problems.push('award.manualAward needs who awarded it and why');
  }
  return problems;
}

/** Misuse throws: the builder never emits a credential from inconsistent input. */
export function checkBuildInput(input: BuildCredentialInput): void {
  const problems = [
    ...(isAbsoluteUrl(input.baseUrl) ? [] : ['baseUrl must be an absolute URL']),
    ...issuerProblems(input.issuer),
    ...definitionProblems(input.achievement),
    ...awardProblems(input.award, input.achievement),
  ];
  if (problems.length > 0) {
    throw new AppError('CREDENTIAL_INPUT_INVALID', `Cannot build the credential: ${problems.join('; ')}`, {
      status: 422,
      details: { problems },
    });
  }
}
