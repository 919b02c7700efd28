import { setupChecklist, type SetupChecklist, type SetupFacts } from '../issuers/setup-checklist';
import type { BadgeRepository } from '../store/badges';
import type { InstitutionRepository } from '../store/institutions';
import type { WsConnectionRepository } from '../store/ws-connections';

export type SetupStateOf = (platformId: string) => Promise<SetupChecklist & { facts: SetupFacts }>;

/** Reads the facts of an institution's set-up (three small reads) for the teacher's and registrar's pages. */
export function setupStateReader(deps: { institutions: InstitutionRepository; wsConnections: WsConnectionRepository; badges: BadgeRepository }): SetupStateOf {
  return async (platformId) => {
    const [profile, ws, badgeDefined] = await Promise.all([
      deps.institutions.find(platformId),
      deps.wsConnections.find(platformId).catch(() => null),
      deps.badges.anyInPlatform(platformId),
    ]);
    const facts: SetupFacts = { profileSaved: profile !== null, webService: ws && { siteName: ws.siteName, checkedAt: ws.checkedAt }, badgeDefined };
    return { ...setupChecklist(facts), facts };
  };
}
