import { isoDateTime } from './dates';
import { withoutUndefined } from './json';
import type { AwardInput, JsonObject } from './types';

export const MANUAL_AWARD_GENRE = 'Manual award';

/** How the learner was assessed; a manual award is evidence too, so who decided it and why stays in the credential. */
export function evidenceJson(award: AwardInput): JsonObject[] {
  const items = award.evidence.map((item) =>
    withoutUndefined({
      id: item.id,
      type: ['Evidence'],
      name: item.name,
      description: item.description,
      narrative: item.narrative,
      genre: item.genre,
      evidenceDate: item.date && isoDateTime(item.date),
    }),
  );
  if (award.manualAward !== undefined) {
    const { by, reason } = award.manualAward;
    items.push({
      type: ['Evidence'],
      name: MANUAL_AWARD_GENRE,
      genre: MANUAL_AWARD_GENRE,
      description: reason,
      narrative: `Awarded manually by ${by}. Reason: ${reason}`,
    });
  }
  return items;
}
