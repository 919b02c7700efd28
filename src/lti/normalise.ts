import type { JWTPayload } from 'jose';
import { CLAIM } from './claims';
import type { DeepLinkingSettings, LaunchContext, Locale } from './launch-context';
import { mapRoles } from './roles';

type Claims = JWTPayload & Record<string, unknown>;

const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** BCP 47 tag from launch_presentation.locale ("lv", "lv_LV", "lv-LV") → a locale the product speaks. */
export function pickLocale(raw: string | null): Locale {
  return raw && /^lv([-_]|$)/i.test(raw) ? 'lv' : 'en';
}

/**
 * The one place a validated id_token becomes a LaunchContext (LTI Core 1.3 §5). Claims were already
 * checked by the launch guard; this only reshapes them.
 */
export function normaliseLaunch(claims: Claims, platform: { id: string; clientId: string }, isConfiguredRegistrar: boolean): LaunchContext {
  const context = obj(claims[CLAIM.context]);
  const link = obj(claims[CLAIM.resourceLink]);
  const presentation = obj(claims[CLAIM.launchPresentation]);
  const ags = obj(claims[CLAIM.ags]);
  const nrps = obj(claims[CLAIM.nrps]);
  const dl = obj(claims[CLAIM.deepLinkingSettings]);
  const custom = obj(claims[CLAIM.custom]) ?? {};
  const lisRoles = strings(claims[CLAIM.roles]);
  const target = str(presentation?.document_target);
  const given = str(claims.given_name);
  const family = str(claims.family_name);

  const deepLinking: DeepLinkingSettings | null = dl
    ? {
        returnUrl: String(dl.deep_link_return_url),
        acceptTypes: strings(dl.accept_types),
        acceptPresentationDocumentTargets: strings(dl.accept_presentation_document_targets),
        acceptMultiple: dl.accept_multiple === true || dl.accept_multiple === 'true',
        autoCreate: dl.auto_create === true || dl.auto_create === 'true',
        data: str(dl.data),
      }
    : null;

  return {
    platformId: platform.id,
    issuer: String(claims.iss),
    clientId: platform.clientId,
    deploymentId: String(claims[CLAIM.deploymentId]),
    messageType: claims[CLAIM.messageType] as LaunchContext['messageType'],
    courseId: str(context?.id) ?? '',
    courseTitle: str(context?.title),
    courseLabel: str(context?.label),
    userId: String(claims.sub),
    userName: str(claims.name) ?? ([given, family].filter(Boolean).join(' ') || null),
    email: str(claims.email),
    roles: mapRoles(lisRoles, isConfiguredRegistrar),
    lisRoles,
    resourceLink: link && str(link.id) ? { id: String(link.id), title: str(link.title) } : null,
    custom: Object.fromEntries(Object.entries(custom).map(([k, v]) => [k, String(v)])),
    locale: pickLocale(str(presentation?.locale)),
    documentTarget: target === 'iframe' || target === 'window' || target === 'frame' ? target : null,
    returnUrl: str(presentation?.return_url),
    ags: ags ? { scopes: strings(ags.scope), lineItemsUrl: str(ags.lineitems), lineItemUrl: str(ags.lineitem) } : null,
    nrps:
      nrps && str(nrps.context_memberships_url)
        ? { contextMembershipsUrl: String(nrps.context_memberships_url), serviceVersions: strings(nrps.service_versions) }
        : null,
    deepLinking,
  };
}
