import type { Role } from './roles';

/** Everything the product needs from one LTI launch, normalised once at the boundary (see normalise.ts). */
export interface LaunchContext {
  platformId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  /** Moodle course id (`context.id`). */
  courseId: string;
  courseTitle: string | null;
  courseLabel: string | null;
  /** Moodle user id (`sub`). */
  userId: string;
  userName: string | null;
  email: string | null;
  roles: Role[];
  lisRoles: string[];
  resourceLink: { id: string; title: string | null } | null;
  custom: Record<string, string>;
  locale: Locale;
  documentTarget: 'iframe' | 'window' | 'frame' | null;
  returnUrl: string | null;
  ags: { scopes: string[]; lineItemsUrl: string | null; lineItemUrl: string | null } | null;
  nrps: { contextMembershipsUrl: string; serviceVersions: string[] } | null;
  deepLinking: DeepLinkingSettings | null;
}

export interface DeepLinkingSettings {
  returnUrl: string;
  acceptTypes: string[];
  acceptPresentationDocumentTargets: string[];
  acceptMultiple: boolean;
  autoCreate: boolean;
  data: string | null;
}

export const locales = ['en', 'lv'] as const;
export type Locale = (typeof locales)[number];
