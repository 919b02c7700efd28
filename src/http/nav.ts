import type { LaunchContext } from '../lti/launch-context';
import type { Role } from '../lti/roles';
import { translate } from './i18n';
import type { NavItem } from './views';

export const ROLE_PAGES: Record<Role, string> = {
  teacher: '/app/teacher',
  student: '/app/student',
  registrar: '/app/registrar',
};

/** A link inside the session: the token travels in the URL because cookies do not survive the iframe. */
export const sessionLink = (path: string, token: string) => `${path}?s=${encodeURIComponent(token)}`;

export function navFor(context: LaunchContext, token: string, current: Role): NavItem[] {
  return context.roles.map((role) => ({
    href: sessionLink(ROLE_PAGES[role], token),
    label: translate(context.locale, `nav.${role}` as const),
    current: role === current,
  }));
}
