import { randomBytes } from 'node:crypto';

/**
 * ltijs 5.9.9 makes the OIDC nonce with Math.random(), which is not a cryptographic generator
 * (OIDC Core §15.5.2 wants it unguessable). ltijs looks Request.ltiAdvantageLogin up at call time, so
 * replacing the nonce after the original builds the query is enough; the rest of the query is unchanged.
 */
let applied = false;

export function applyLtijsPatches(): void {
  if (applied) return;
  applied = true;

  const Request = require('ltijs/dist/Utils/Request');
  const original = Request.ltiAdvantageLogin.bind(Request);
  Request.ltiAdvantageLogin = async (...args: unknown[]) => {
    const query = await original(...args);
    query.nonce = randomBytes(24).toString('base64url');
    return query;
  };
}
