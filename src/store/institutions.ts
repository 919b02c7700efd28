import type { Connection } from 'mongoose';
import type { InstitutionProfile } from '../issuers/profile';
import type { IndexDefinition } from './indexes';

const COLLECTION = 'institution_profiles';

/**
 * How long a profile read is reused (issuance reads it for every credential). A save in this process shows at
 * once; one made by another instance of the tool shows within this time.
 */
const CACHE_MS = 10_000;

/** One institution profile per platform (tenant). */
export class InstitutionRepository {
  private readonly cache = new Map<string, { profile: InstitutionProfile | null; until: number }>();

  constructor(private readonly connection: Connection) {}

  async find(platformId: string): Promise<InstitutionProfile | null> {
    const hit = this.cache.get(platformId);
    if (hit && hit.until > Date.now()) return hit.profile;
    const d = await this.connection.collection(COLLECTION).findOne({ platformId }, { projection: { _id: 0, platformId: 0, updatedAt: 0, updatedBy: 0 } });
    const profile = (d as unknown as InstitutionProfile) ?? null;
    // only profiles are kept: a tenant that has none yet is asked again, so its first save elsewhere shows at once
    if (profile) this.cache.set(platformId, { profile, until: Date.now() + CACHE_MS });
    return profile;
  }

  async save(platformId: string, profile: InstitutionProfile, updatedBy: string): Promise<void> {
    await this.connection
      .collection(COLLECTION)
      .replaceOne({ platformId }, { ...profile, platformId, updatedBy, updatedAt: new Date() }, { upsert: true });
    this.cache.delete(platformId);
  }

  static indexes(): IndexDefinition[] {
    return [{ collection: COLLECTION, key: { platformId: 1 }, unique: true }];
  }
}
