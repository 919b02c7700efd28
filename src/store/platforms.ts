import { Schema, type Connection, type Model } from 'mongoose';
import { RecentReads } from './recent-reads';

/** A registered Moodle site: one tenant. Nothing of one platform is visible to another. */
export interface Platform {
  id: string;
  issuer: string;
  clientId: string;
  name: string;
  deploymentIds: string[];
  authEndpoint: string;
  tokenEndpoint: string;
  jwksUrl: string;
  registeredVia: 'dynamic' | 'manual';
  createdAt: Date;
}

export type NewPlatform = Omit<Platform, 'id' | 'createdAt'>;

interface PlatformDoc extends Omit<Platform, 'id'> {}

const schema = new Schema<PlatformDoc>(
  {
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    name: { type: String, required: true },
    deploymentIds: { type: [String], default: [] },
    authEndpoint: { type: String, required: true },
    tokenEndpoint: { type: String, required: true },
    jwksUrl: { type: String, required: true },
    registeredVia: { type: String, enum: ['dynamic', 'manual'], required: true },
    createdAt: { type: Date, default: () => new Date() },
  },
  { collection: 'platforms', versionKey: false },
);
schema.index({ issuer: 1, clientId: 1 }, { unique: true });

const toDomain = (d: PlatformDoc & { _id: unknown }): Platform => ({
  id: String(d._id),
  issuer: d.issuer,
  clientId: d.clientId,
  name: d.name,
  deploymentIds: [...d.deploymentIds],
  authEndpoint: d.authEndpoint,
  tokenEndpoint: d.tokenEndpoint,
  jwksUrl: d.jwksUrl,
  registeredVia: d.registeredVia,
  createdAt: d.createdAt,
});

const keyOf = (issuer: string, clientId: string) => `${issuer}\u0000${clientId}`;

export class PlatformRepository {
  private readonly model: Model<PlatformDoc>;
  private readonly recent = new RecentReads<Platform>(5_000);
  constructor(connection: Connection) {
    this.model = connection.models.Platform ?? connection.model<PlatformDoc>('Platform', schema);
  }

  /** Read at login and at launch: reused for 5 s (a removal or re-registration in this process shows at once). */
  findByIssuerAndClient(issuer: string, clientId: string): Promise<Platform | null> {
    return this.recent.get(keyOf(issuer, clientId), async () => {
      const d = await this.model.findOne({ issuer, clientId }).lean();
      return d ? toDomain(d) : null;
    });
  }

  async findById(id: string): Promise<Platform | null> {
    if (!/^[a-f0-9]{24}$/i.test(id)) return null;
    const d = await this.model.findById(id).lean();
    return d ? toDomain(d) : null;
  }

  async list(): Promise<Platform[]> {
    return (await this.model.find().sort({ createdAt: 1 }).lean()).map(toDomain);
  }

  /** Creates the platform or updates its endpoints, adding deployment ids (a re-registration keeps old ones). */
  async upsert(p: NewPlatform): Promise<Platform> {
    const { deploymentIds, ...fields } = p;
    const d = await this.model
      .findOneAndUpdate(
        { issuer: p.issuer, clientId: p.clientId },
        { $set: fields, $addToSet: { deploymentIds: { $each: deploymentIds } }, $setOnInsert: { createdAt: new Date() } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean();
    this.recent.forget(keyOf(p.issuer, p.clientId));
    return toDomain(d!);
  }

  async remove(issuer: string, clientId: string): Promise<boolean> {
    const res = await this.model.deleteOne({ issuer, clientId });
    this.recent.forget(keyOf(issuer, clientId));
    return res.deletedCount === 1;
  }

  static indexes() {
    return [{ collection: 'platforms', key: { issuer: 1, clientId: 1 } as Record<string, 1>, unique: true }];
  }
}
