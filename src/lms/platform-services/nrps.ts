import { badResponse } from './http.js';
import { collectPages } from './paging.js';
import type { ServiceContext } from './service-context.js';
import { optionalPositiveInt, parseHttpUrl, withQuery } from './urls.js';

export const NRPS_SCOPE_MEMBERSHIP_READONLY = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
export const NRPS_MEMBERSHIP_CONTAINER_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/** One NRPS v2 member. Moodle fills name/email fields as privacy settings allow and adds `ext_user_username`. */
export interface Member {
  user_id: string;
  /** Short (`Learner`, `Instructor`: Moodle's form) or full LIS role URIs. */
  roles: string[];
  status?: 'Active' | 'Inactive' | 'Deleted' | (string & {});
  name?: string;
  given_name?: string;
  family_name?: string;
  middle_name?: string;
  email?: string;
  picture?: string;
  lis_person_sourcedid?: string;
  lti11_legacy_user_id?: string;
  /** Only with `rlid`: the launch messages (e.g. basic outcome claim) per member. */
  message?: Record<string, unknown>[];
  [extension: string]: unknown;
}

export interface GetMembersOptions {
  /** `role` filter, e.g. `http://purl.imsglobal.org/vocab/lis/v2/membership#Learner`; sent as given. */
  role?: string;
  /** Page size; the client follows `rel="next"` until all pages are read. */
  limit?: number;
  /** Resource link id: members with the launch `message` of that link. */
  rlid?: string;
}

export interface NrpsClient {
  /** All members of the context (every page). */
  getMembers(contextMembershipsUrl: string, options?: GetMembersOptions): Promise<Member[]>;
}

function isMember(value: unknown): value is Member {
  if (!value || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  return (typeof m['user_id'] === 'string' || typeof m['user_id'] === 'number') && Array.isArray(m['roles']);
}

export function createNrpsClient(ctx: ServiceContext): NrpsClient {
  return {
    async getMembers(contextMembershipsUrl, options = {}) {
      const base = parseHttpUrl(contextMembershipsUrl, 'context_memberships_url');
      const firstUrl = withQuery(base, { role: options.role, limit: optionalPositiveInt(options.limit, 'limit'), rlid: options.rlid });
      return collectPages<Member>(ctx, {
        firstUrl,
        scopes: [NRPS_SCOPE_MEMBERSHIP_READONLY],
        accept: NRPS_MEMBERSHIP_CONTAINER_TYPE,
        extract(body, res) {
          const members = body && typeof body === 'object' ? (body as Record<string, unknown>)['members'] : undefined;
          if (!Array.isArray(members)) throw badResponse(res, 'membership container has no members array');
          return members.map((m) => {
            if (!isMember(m)) throw badResponse(res, 'member without user_id/roles');
            return { ...m, user_id: String(m.user_id) };
          });
        },
      });
    },
  };
}
