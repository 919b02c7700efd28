import { createHash } from 'node:crypto';
import type { AwardInput, JsonObject } from './types';

/** OB 3.0 IdentityHash: 'sha256$' + hex SHA-256 of the value with the salt appended. */
export const identityHash = (value: string, salt: string) =>
  `sha256$${createHash('sha256')
    .update(value + salt, 'utf8')
    .digest('hex')}`;

/**
 * Emails are hashed trimmed and lower-cased: Moodle keeps whatever case the learner typed,
 * and a verifier checking "is this credential Jane's?" will hash the address in lower case.
 */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The Moodle account, unique across platforms: `${platformIssuer}#${moodleUserId}` (LTI `iss` + `sub`). */
export const moodleAccountIdentifier = (learner: AwardInput['learner']) => `${learner.platformIssuer}#${learner.moodleUserId}`;

function hashed(identityType: string, value: string, salt: string): JsonObject {
  return { type: 'IdentityObject', identityHash: identityHash(value, salt), identityType, hashed: true, salt };
}

/**
 * Learner identification (EU element): salted hashes only, so the credential proves who it belongs to
 * without exposing the email; the plain name only when the learner chose to show it.
 */
export function learnerIdentifiers(award: AwardInput): JsonObject[] {
  const { learner, identifierSalt: salt } = award;
  const identifiers = [hashed('identifier', moodleAccountIdentifier(learner), salt)];
  if (learner.email !== undefined && learner.email.trim() !== '') {
    identifiers.push(hashed('emailAddress', normalizeEmail(learner.email), salt));
  }
  if (learner.showName && learner.name !== undefined) {
    identifiers.push({ type: 'IdentityObject', identityHash: learner.name, identityType: 'name', hashed: false });
  }
  return identifiers;
}
