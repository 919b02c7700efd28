/**
 * The formal (draft 2019-09) AchievementCredential schema as credentials cite it in `credentialSchema`
 * (the spec's examples use this `…/schema/json/…` URL; the file's own `$id` says `…/json-ld/…`, see SOURCE.md).
 */
export const OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/** The credentialSchema type defined by 1EdTech; needs `…/ob/v3p0/extensions.json` in `@context`. */
export const OB_SCHEMA_VALIDATOR_TYPE = '1EdTechJsonSchemaValidator2019';
