import { badgePng } from '../issuance/badge-image';
import type { InstitutionProfile } from '../issuers/profile';
import type { BadgeRepository } from '../store/badges';
import { PngBaker } from '../credentials/bake/png';

/**
 * Badge pictures of one export: each badge version is read and rendered once (rendering an SVG template to PNG
 * takes milliseconds; baking a credential into it takes microseconds). A small LRU bounds memory when an
 * export spans many badges; a version that no longer exists is remembered as missing.
 */
export class BadgeImageCache {
  private readonly cache = new Map<string, PngBaker | null>();

  constructor(
    private readonly badges: Pick<BadgeRepository, 'getVersion'>,
    private readonly institution: InstitutionProfile | null,
    private readonly capacity = 64,
  ) {}

  /** A baker for the badge version's picture, or null when the version no longer exists. */
  async baker(badgeId: string, version: number): Promise<PngBaker | null> {
    const key = `${badgeId}@${version}`;
    if (this.cache.has(key)) {
      const hit = this.cache.get(key)!;
      // refresh: most recently used last
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const found = await this.badges.getVersion(badgeId, version);
    const baker = found ? new PngBaker(badgePng(key, found.definition, this.institution)) : null;
    if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, baker);
    return baker;
  }
}
