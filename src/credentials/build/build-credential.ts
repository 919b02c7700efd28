import { CONTEXT_URLS } from '../contexts/document-loader';
import { euExtensionContextUrl } from '../eu-extension/context';
import { OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL, OB_SCHEMA_VALIDATOR_TYPE } from '../schema/urls';
import { checkBuildInput } from './check-input';
import { addMonthsUtc, isoDateTime } from './dates';
import { evidenceJson } from './evidence';
import { withoutUndefined } from './json';
import { languageMap } from './localized';
import { issuerProfileJson } from './profile';
import { achievementSubjectJson } from './subject';
import type { AchievementCredentialJson, BuildCredentialInput, JsonObject } from './types';
import { trimBaseUrl } from './urls';

/** `@context` of every credential: VCDM 2.0, OB 3.0.3, OB extensions (for the schema validator type), the EU extension. */
export const credentialContexts = (baseUrl: string) => [
  CONTEXT_URLS.credentialsV2,
  CONTEXT_URLS.openBadges,
  CONTEXT_URLS.openBadgesExtensions,
  euExtensionContextUrl(baseUrl),
];

/**
 * An unsigned OB 3.0 AchievementCredential (VCDM 2.0) for one award. Pure: the same input gives the
 * same JSON, inputs are not touched, time comes in as `award.issuedAt`. Throws CREDENTIAL_INPUT_INVALID
 * on inconsistent input; schema validation and signing are the next steps, elsewhere.
 */
export function buildAchievementCredential(input: BuildCredentialInput): AchievementCredentialJson {
  checkBuildInput(input);
  const { issuer, achievement, award } = input;
  const baseUrl = trimBaseUrl(input.baseUrl);
  const issued = isoDateTime(award.issuedAt);
  const evidence = evidenceJson(award);
  const status = award.credentialStatus?.[0];
  const credential = withoutUndefined({
    '@context': credentialContexts(baseUrl),
    id: award.credentialId,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: achievement.name.en,
    nameLocalized: languageMap(achievement.name),
    description: achievement.description.en,
    descriptionLocalized: languageMap(achievement.description),
    issuer: issuerProfileJson(issuer),
    validFrom: issued,
    validUntil: achievement.validForMonths === undefined ? undefined : isoDateTime(addMonthsUtc(award.issuedAt, achievement.validForMonths)),
    awardedDate: issued,
    credentialSubject: achievementSubjectJson(award, achievement, baseUrl),
    evidence: evidence.length > 0 ? evidence : undefined,
    credentialSchema: [{ id: OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL, type: OB_SCHEMA_VALIDATOR_TYPE }],
    // A copy, so the credential shares no objects with the caller's input.
    credentialStatus: status === undefined ? undefined : (structuredClone(status) as JsonObject),
  });
  return credential as AchievementCredentialJson;
}
