/** Checks both proof formats share: validity period, status, and whether a verification method speaks for the issuer. */
import type { DocumentLoader } from '../contexts/document-loader';
import { isObject, parseDateTime, validFromOf, validUntilOf } from './credential-fields';
import type { JsonObject } from './libs';
import { errorMessage, fail, pass, type VerificationCheck, type VerifyOptions } from './verification-result';

export function validityChecks(credential: JsonObject, options: VerifyOptions): VerificationCheck[] {
  const now = options.now ?? new Date();
  const skewMs = (options.maxClockSkewSeconds ?? 60) * 1000;
  const checks: VerificationCheck[] = [];

  const rawFrom = validFromOf(credential);
  const from = parseDateTime(rawFrom);
  if (rawFrom === undefined) checks.push(fail('notYetValid', 'The credential has no validFrom'));
  else if (!from) checks.push(fail('notYetValid', `validFrom is not a date-time: ${JSON.stringify(rawFrom)}`));
  else if (from.getTime() - skewMs > now.getTime()) checks.push(fail('notYetValid', `Not valid before ${from.toISOString()}`));
  else checks.push(pass('notYetValid', `Valid from ${from.toISOString()}`));

  const rawUntil = validUntilOf(credential);
  const until = parseDateTime(rawUntil);
  if (rawUntil === undefined) checks.push(pass('expiry', 'The credential does not expire'));
  else if (!until) checks.push(fail('expiry', `validUntil is not a date-time: ${JSON.stringify(rawUntil)}`));
  else if (until.getTime() + skewMs < now.getTime()) checks.push(fail('expiry', `Expired at ${until.toISOString()}`));
  else checks.push(pass('expiry', `Valid until ${until.toISOString()}`));
  return checks;
}

export async function statusCheck(credential: JsonObject, options: VerifyOptions): Promise<VerificationCheck> {
  if (credential.credentialStatus === undefined) return pass('status', 'The credential has no status entry');
  if (!options.checkStatus) return fail('status', 'The credential has a status entry but no status checker was given');
  try {
    const { revoked, suspended } = await options.checkStatus(credential);
    if (revoked) return fail('status', 'The credential has been revoked');
    if (suspended) return fail('status', 'The credential is suspended');
    return pass('status', 'Neither revoked nor suspended');
  } catch (err) {
    return fail('status', `The status could not be checked: ${errorMessage(err)}`);
  }
}

/**
 * Loads a verification method and checks it may sign for the issuer: its controller is the issuer and the
 * controller's document lists it under assertionMethod. Returns the method for the signature check.
 */
export async function resolveAssertionMethod(
  verificationMethodId: unknown,
  issuerId: string | undefined,
  documentLoader: DocumentLoader,
): Promise<{ check: VerificationCheck; method?: JsonObject }> {
  if (typeof verificationMethodId !== 'string' || verificationMethodId.length === 0) {
    return { check: fail('issuerKey', 'The proof names no verification method') };
  }
  if (!issuerId) return { check: fail('issuerKey', 'The credential has no issuer id') };
  let method: unknown;
  try {
    method = (await documentLoader(verificationMethodId)).document;
    if (typeof method === 'string') method = JSON.parse(method);
  } catch (err) {
    return { check: fail('issuerKey', `Verification method ${verificationMethodId} could not be resolved: ${errorMessage(err)}`) };
  }
  if (!isObject(method) || method.id !== verificationMethodId || typeof method.type !== 'string') {
    return { check: fail('issuerKey', `${verificationMethodId} does not resolve to a verification method`) };
  }
  const controller = isObject(method.controller) ? method.controller.id : method.controller;
  if (controller !== issuerId) {
    return { check: fail('issuerKey', `The key's controller (${String(controller)}) is not the issuer (${issuerId})`) };
  }
  try {
    const controllerDoc = (await documentLoader(issuerId)).document as JsonObject;
    const listed = Array.isArray(controllerDoc.assertionMethod) ? controllerDoc.assertionMethod : [controllerDoc.assertionMethod];
    const authorised = listed.some((m) => m === verificationMethodId || (isObject(m) && m.id === verificationMethodId));
    if (!authorised) {
      return { check: fail('issuerKey', `The issuer's document does not list ${verificationMethodId} as an assertion method`) };
    }
  } catch (err) {
    return { check: fail('issuerKey', `The issuer's document ${issuerId} could not be resolved: ${errorMessage(err)}`) };
  }
  return { check: pass('issuerKey', `${verificationMethodId} is an assertion method of ${issuerId}`), method };
}
