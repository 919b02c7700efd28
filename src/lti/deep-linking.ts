import { createPrivateKey, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { CLAIM, LTI_VERSION } from './claims';
import type { LaunchContext } from './launch-context';
import type { ToolKey } from './platform-registry';

export interface ResourceLinkItem {
  title: string;
  text?: string;
  url: string;
  custom: Record<string, string>;
}

/**
 * LtiDeepLinkingResponse (Deep Linking 2.0 §4.2): a JWT the browser posts back to Moodle's
 * deep_link_return_url as form field `JWT`. Moodle verifies it with the tool's JWKS, then fills the
 * "Add activity" form with the item (custom parameters included). The error-message claim is not used:
 * ltijs spells it with a trailing space (LTIJS-WITH-MOODLE row 9).
 */
export async function signDeepLinkingResponse(context: LaunchContext, key: ToolKey, items: ResourceLinkItem[], now: number): Promise<string> {
  if (!context.deepLinking) throw new Error('not a deep linking launch');
  const payload: Record<string, unknown> = {
    nonce: randomBytes(16).toString('base64url'),
    [CLAIM.deploymentId]: context.deploymentId,
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: LTI_VERSION,
    [CLAIM.deepLinkingContentItems]: items.map((i) => ({ type: 'ltiResourceLink', ...i })),
  };
  if (context.deepLinking.data) payload[CLAIM.deepLinkingData] = context.deepLinking.data;
  const iat = Math.floor(now / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(context.clientId)
    .setAudience(context.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .sign(createPrivateKey(key.privateKeyPem));
}
