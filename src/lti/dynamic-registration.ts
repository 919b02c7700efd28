import { AppError } from '../errors';
import type { Platform } from '../store/platforms';
import { SCOPES } from './claims';
import type { PlatformRegistry } from './platform-registry';
import { LTI_ROUTES } from './provider';

export interface DynamicRegistrationOptions {
  registry: PlatformRegistry;
  publicUrl: string;
  toolName: string;
  toolDescription: string;
  allowedIssuers: readonly string[];
  allowInsecurePlatforms: boolean;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface DynamicRegistrationResult {
  platform: Platform;
  deploymentId: string;
  productFamily: string;
}

const PLATFORM_CONFIG = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const WANTED_SCOPES = [SCOPES.lineItem, SCOPES.lineItemReadOnly, SCOPES.resultReadOnly, SCOPES.score, SCOPES.nrps];

const refuse = (code: string, message: string, status = 400) => new AppError(code, message, { status });

const isLoopback = (u: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);

/** A URL the platform gave; https unless it is loopback or insecure platforms are allowed (development). */
function checkUrl(raw: unknown, what: string, allowInsecure: boolean): URL {
  let u: URL;
  try {
    u = new URL(String(raw));
  } catch {
    throw refuse('DYNREG_INVALID_URL', `The ${what} is not a URL.`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && (allowInsecure || isLoopback(u))))
    throw refuse('DYNREG_INSECURE_URL', `The ${what} must use https.`);
  return u;
}

/** A JSON object from the platform, no redirects, within the time limit; every failure is a 502 that says what failed. */
async function getJson(http: { fetch: typeof fetch; timeoutMs: number }, url: string, init: RequestInit, what: string): Promise<Record<string, unknown>> {
  const doFetch = http.fetch; // called as a plain function, as the global fetch expects
  let res: Response;
  try {
    res = await doFetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(http.timeoutMs) });
  } catch (err) {
    const timeout = (err as Error).name === 'TimeoutError';
    throw new AppError(
      timeout ? 'DYNREG_PLATFORM_TIMEOUT' : 'DYNREG_PLATFORM_UNREACHABLE',
      `Moodle did not answer the ${what} request${timeout ? ' in time' : ''}.`,
      { status: 502, expose: true },
    );
  }
  const text = await res.text();
  if (!res.ok)
    throw new AppError('DYNREG_PLATFORM_REFUSED', `Moodle refused the ${what} (HTTP ${res.status}).`, {
      status: 502,
      expose: true,
      details: { body: text.slice(0, 500) },
    });
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed;
  } catch {
    /* fall through */
  }
  throw new AppError('DYNREG_BAD_RESPONSE', `Moodle's ${what} answer is not JSON.`, { status: 502, expose: true });
}

/** The registration link Moodle opened: both parameters present, and the configuration URL on an allowed site. */
function checkRegistrationLink(
  o: DynamicRegistrationOptions,
  query: { openidConfiguration: unknown; registrationToken: unknown },
): { configUrl: URL; registrationToken: string } {
  if (typeof query.openidConfiguration !== 'string' || !query.openidConfiguration)
    throw refuse('DYNREG_PARAMS_MISSING', 'The registration link lacks openid_configuration: start the registration from Moodle (Manage tools > Tool URL).');
  if (typeof query.registrationToken !== 'string' || !query.registrationToken)
    throw refuse('DYNREG_PARAMS_MISSING', 'The registration link lacks registration_token: start the registration from Moodle.');
  const configUrl = checkUrl(query.openidConfiguration, 'openid configuration URL', o.allowInsecurePlatforms);
  if (o.allowedIssuers.length && !o.allowedIssuers.some((a) => new URL(a).origin === configUrl.origin))
    throw refuse('DYNREG_ISSUER_NOT_ALLOWED', `This tool does not accept registrations from ${configUrl.origin}.`, 403);
  return { configUrl, registrationToken: query.registrationToken };
}

/** The issuer and the endpoints the tool will trust: all on the origin the configuration was served from. */
function trustedEndpoints(config: Record<string, unknown>, configUrl: URL, allowInsecure: boolean) {
  const issuer = checkUrl(config.issuer, 'issuer', allowInsecure);
  if (issuer.origin !== configUrl.origin || !configUrl.href.startsWith(String(config.issuer).replace(/\/+$/, '')))
    throw refuse('DYNREG_ISSUER_MISMATCH', `The openid configuration at ${configUrl.origin} claims another issuer (${String(config.issuer)}).`, 403);
  const endpoints = {
    registration: checkUrl(config.registration_endpoint, 'registration endpoint', allowInsecure),
    auth: checkUrl(config.authorization_endpoint, 'authorization endpoint', allowInsecure),
    token: checkUrl(config.token_endpoint, 'token endpoint', allowInsecure),
    jwks: checkUrl(config.jwks_uri, 'JWKS URL', allowInsecure),
  };
  for (const [name, u] of Object.entries(endpoints))
    if (u.origin !== issuer.origin) throw refuse('DYNREG_ENDPOINT_FOREIGN', `The platform's ${name} endpoint is not on its own site (${u.origin}).`, 403);
  return { issuer, endpoints };
}

/** What the tool asks the platform to register: its URLs, keys, the scopes the platform supports and its messages. */
function toolRegistration(o: DynamicRegistrationOptions, config: Record<string, unknown>) {
  const supported = Array.isArray(config.scopes_supported) ? (config.scopes_supported as string[]) : WANTED_SCOPES;
  const scopes = WANTED_SCOPES.filter((s) => supported.includes(s));
  const launchUrl = o.publicUrl + LTI_ROUTES.launch;
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: o.publicUrl + LTI_ROUTES.login,
    redirect_uris: [launchUrl],
    client_name: o.toolName,
    jwks_uri: o.publicUrl + LTI_ROUTES.jwks,
    logo_uri: `${o.publicUrl}/static/logo.svg`,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: scopes.join(' '),
    [TOOL_CONFIG]: {
      domain: new URL(o.publicUrl).host,
      description: o.toolDescription,
      target_link_uri: launchUrl,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      // each message names its target_link_uri: ltijs sends none, and Moodle then stores an empty Content Selection URL
      messages: [
        { type: 'LtiResourceLinkRequest', target_link_uri: launchUrl },
        { type: 'LtiDeepLinkingRequest', target_link_uri: launchUrl, label: o.toolName, placements: ['ContentArea'] },
      ],
    },
  };
}

/** The client id and deployment id the platform gave the tool. */
function registeredClient(response: Record<string, unknown>): { clientId: string; deploymentId: string } {
  const clientId = typeof response.client_id === 'string' ? response.client_id : null;
  const toolConfig = (response[TOOL_CONFIG] ?? {}) as Record<string, unknown>;
  const deploymentId = toolConfig.deployment_id == null ? null : String(toolConfig.deployment_id);
  if (!clientId || !deploymentId)
    throw new AppError('DYNREG_BAD_RESPONSE', 'Moodle accepted the registration but sent no client_id or deployment_id.', { status: 502, expose: true });
  return { clientId, deploymentId };
}

/**
 * LTI Advantage Dynamic Registration 1.0 (tool side). A registration is refused unless the platform proves
 * it is who it says: the openid configuration is served from the issuer's own origin (DR §3.5.1, OIDC
 * Discovery §4.3), and every endpoint the tool will trust (authorisation, token, keys, registration) is on
 * that origin too. So nobody can register a platform under another site's issuer; at worst a stranger
 * registers a Moodle of their own, which is a separate tenant.
 */
export function createDynamicRegistration(o: DynamicRegistrationOptions) {
  const http = { fetch: o.fetch ?? fetch, timeoutMs: o.timeoutMs };
  /** `onConfigValidated` hears the platform's origin once its openid configuration has passed every check. */
  return async function register(
    query: { openidConfiguration: unknown; registrationToken: unknown },
    onConfigValidated: (origin: string) => void = () => undefined,
  ): Promise<DynamicRegistrationResult> {
    const { configUrl, registrationToken } = checkRegistrationLink(o, query);
    const config = await getJson(http, configUrl.href, { headers: { accept: 'application/json' } }, 'openid configuration');
    const { issuer, endpoints } = trustedEndpoints(config, configUrl, o.allowInsecurePlatforms);
    onConfigValidated(issuer.origin);
    const response = await getJson(
      http,
      endpoints.registration.href,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${registrationToken}` },
        body: JSON.stringify(toolRegistration(o, config)),
      },
      'registration',
    );
    const { clientId, deploymentId } = registeredClient(response);
    const platformConfig = (config[PLATFORM_CONFIG] ?? {}) as Record<string, unknown>;
    const productFamily = typeof platformConfig.product_family_code === 'string' ? platformConfig.product_family_code : 'platform';
    const platform = await o.registry.register({
      issuer: String(config.issuer), // kept exactly: id_tokens must carry the same iss
      clientId,
      name: `${productFamily} ${issuer.host}`,
      deploymentIds: [deploymentId],
      authEndpoint: endpoints.auth.href,
      tokenEndpoint: endpoints.token.href,
      jwksUrl: endpoints.jwks.href,
      registeredVia: 'dynamic',
    });
    return { platform, deploymentId, productFamily };
  };
}
