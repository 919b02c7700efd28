import {
  AGS_SCOPE_LINEITEM,
  AGS_SCOPE_LINEITEM_READONLY,
  AGS_SCOPE_RESULT_READONLY,
  AGS_SCOPE_SCORE,
  NRPS_SCOPE_MEMBERSHIP_READONLY,
} from '../lms/platform-services';

/** LTI 1.3 claim names (LTI Core 1.3 §5, Deep Linking 2.0 §4.4, AGS 2.0 §3.1, NRPS 2.0 §3.6). */
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  resourceLink: `${LTI}resource_link`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  custom: `${LTI}custom`,
  launchPresentation: `${LTI}launch_presentation`,
  toolPlatform: `${LTI}tool_platform`,
  lis: `${LTI}lis`,
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  deepLinkingContentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  deepLinkingData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
} as const;

export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;
export const LTI_VERSION = '1.3.0';

/** Service scopes the tool asks for (AGS 2.0 §3.1, NRPS 2.0 §3.6.1.1); defined beside their clients. */
export const SCOPES = {
  lineItem: AGS_SCOPE_LINEITEM,
  lineItemReadOnly: AGS_SCOPE_LINEITEM_READONLY,
  resultReadOnly: AGS_SCOPE_RESULT_READONLY,
  score: AGS_SCOPE_SCORE,
  nrps: NRPS_SCOPE_MEMBERSHIP_READONLY,
} as const;
