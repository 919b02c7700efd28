/** Reading the few credential fields proofs depend on, tolerating both VCDM 2.0 and 1.1 shapes. */
import type { JsonObject } from './libs';

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `issuer` is either an IRI or a profile object with an `id`. */
export function issuerIdOf(credential: JsonObject): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (isObject(issuer) && typeof issuer.id === 'string') return issuer.id;
  return undefined;
}

function firstSubject(credential: JsonObject): JsonObject | undefined {
  const subject = Array.isArray(credential.credentialSubject) ? credential.credentialSubject[0] : credential.credentialSubject;
  return isObject(subject) ? subject : undefined;
}

/**
 * The JWT `sub` of a credential (OB 3.0 §8.2.4.2): `credentialSubject.id`, undefined when the subject has none (a
 * subject known only by hashed identifiers has no `sub`: §8.2 maps `sub` to `credentialSubject.id` and nothing else).
 */
export function subjectIdOf(credential: JsonObject): string | undefined {
  const subject = firstSubject(credential);
  return subject && typeof subject.id === 'string' ? subject.id : undefined;
}

/**
 * The first identifier's `identityHash`: what tokens signed by earlier versions put in `sub` when the subject had no id.
 * Only the verifier reads it, so that those tokens still verify here.
 */
export function legacySubjectRefOf(credential: JsonObject): string | undefined {
  const subject = firstSubject(credential);
  if (!subject || typeof subject.id === 'string') return undefined;
  const identifiers = Array.isArray(subject.identifier) ? subject.identifier : [subject.identifier];
  const first = identifiers.find(isObject);
  return first && typeof first.identityHash === 'string' ? first.identityHash : undefined;
}

/** validFrom (VCDM 2.0) or issuanceDate (1.1) as written. */
export const validFromOf = (credential: JsonObject): unknown => credential.validFrom ?? credential.issuanceDate;
/** validUntil (VCDM 2.0) or expirationDate (1.1) as written. */
export const validUntilOf = (credential: JsonObject): unknown => credential.validUntil ?? credential.expirationDate;

/** An XML Schema dateTime with a time zone, as VCDM requires; NaN-safe. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export function parseDateTime(value: unknown): Date | null {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** JWT NumericDate: whole seconds since the epoch. */
export const numericDate = (date: Date) => Math.floor(date.getTime() / 1000);
