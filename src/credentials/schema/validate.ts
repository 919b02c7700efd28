import Ajv2019, { type ValidateFunction } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { AppError } from '../../errors';
import { anchorExtensionPatterns } from './anchor-extension-patterns';
import { extraRuleErrors } from './extra-rules';
import { formatSchemaErrors, type SchemaError } from './format-errors';
import formalSchema from './ob_v3p0_achievementcredential_schema.json';

export type { SchemaError } from './format-errors';
export type CredentialValidation = { valid: true } | { valid: false; errors: SchemaError[] };

let compiled: ValidateFunction | undefined;

/**
 * The formal OB 3.0 AchievementCredential schema (draft 2019-09), compiled once. Its `$ref`s are all
 * local (`#/$defs/…`) so nothing is fetched. `strictTuples` is off because the schema's `@context`
 * is an open tuple (`items` + `additionalItems`), which ajv's strict mode would refuse.
 */
function validator(): ValidateFunction {
  compiled ??= (() => {
    const ajv = new Ajv2019({ allErrors: true, verbose: true, strict: true, strictTuples: false });
    addFormats(ajv);
    return ajv.compile(anchorExtensionPatterns(formalSchema));
  })();
  return compiled;
}

/** Checking returns a result: `{ valid: true }`, or every problem with its JSON pointer. */
export function validateCredential(json: unknown): CredentialValidation {
  const validate = validator();
  const schemaErrors = validate(json) ? [] : formatSchemaErrors(validate.errors ?? []);
  const errors = [...schemaErrors, ...extraRuleErrors(json)];
  return errors.length === 0 ? { valid: true } : { valid: false, errors };
}

/** For the issuing pipeline: a credential that does not validate is never signed. */
export function assertValidCredential(json: unknown): void {
  const result = validateCredential(json);
  if (result.valid) return;
  const summary = result.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
  throw new AppError('CREDENTIAL_SCHEMA_INVALID', `The credential does not match the Open Badges 3.0 schema: ${summary}`, {
    status: 422,
    details: { errors: result.errors },
  });
}
