import { badgePng } from '../issuance/badge-image';
import type { InstitutionProfile } from '../issuers/profile';
import type { BadgeRepository } from '../store/badges';

/**
 * Badge pictures of one export: each badge version is read and rendered once (rendering an SVG template to PNG
 * takes milliseconds; baking a credential into it takes microseconds). A small LRU bounds memory when an
 * export spans many badges; a version that no longer exists is remembered as missing.
 */
export class BadgeImageCache {
  private readonly cache = new Map<string, Buffer | null>();

  constructor(
    private readonly badges: Pick<BadgeRepository, 'getVersion'>,
    private readonly institution: InstitutionProfile | null,
    private readonly capacity = 64,
  ) {}

  async png(badgeId: string, version: number): Promise<Buffer | null> {
    const key = `${badgeId}@${version}`;
    if (this.cache.has(key)) {
      const hit = this.cache.get(key)!;
      // refresh: most recently used last
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const found = await this.badges.getVersion(badgeId, version);
    const png = found ? badgePng(key, found.definition, this.institution) : null;
    if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, png);
    return png;
  }
}
