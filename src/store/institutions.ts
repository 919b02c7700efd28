import type { Connection } from 'mongoose';
import type { InstitutionProfile } from '../issuers/profile';
import type { IndexDefinition } from './indexes';
import { RecentReads } from './recent-reads';

const COLLECTION = 'institution_profiles';

/** One institution profile per platform (tenant). */
export class InstitutionRepository {
  /** Issuance reads the profile for every credential. */
  private readonly recent = new RecentReads<InstitutionProfile>(10_000);

  constructor(private readonly connection: Connection) {}

  find(platformId: string): Promise<InstitutionProfile | null> {
    return this.recent.get(platformId, async () => {
      const d = await this.connection.collection(COLLECTION).findOne({ platformId }, { projection: { _id: 0, platformId: 0, updatedAt: 0, updatedBy: 0 } });
      return (d as unknown as InstitutionProfile) ?? null;
    });
  }

  async save(platformId: string, profile: InstitutionProfile, updatedBy: string): Promise<void> {
    await this.connection.collection(COLLECTION).replaceOne({ platformId }, { ...profile, platformId, updatedBy, updatedAt: new Date() }, { upsert: true });
    this.recent.forget(platformId);
  }

  static indexes(): IndexDefinition[] {
    return [{ collection: COLLECTION, key: { platformId: 1 }, unique: true }];
  }
}
