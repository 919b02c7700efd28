import { Types, type Connection, type Model } from 'mongoose';
import { Schema } from 'mongoose';
import { RecentReads } from './recent-reads';

/**
 * One Moodle site (its LTI issuer) is one tenant, the institution: courses, badges, decisions, credentials, the
 * web-service connection, the institution profile and the issuer identity all hang off the site's id. A site can
 * be registered with the tool several times (dynamic registration again, or by hand): each registration is a
 * client id with its own deployments, endpoints and tool key, and is only a way in to the same site.
 */
export interface Site {
  id: string;
  issuer: string;
  name: string;
  /** Ids of registrations that were tenants of their own before they were merged into this site (see migrations). */
  formerIds: string[];
  createdAt: Date;
}

/** A registration seen from a launch: the client id it came through, and the site (`id`) it belongs to. */
export interface Platform {
  /** The site (tenant) id: what every record of the institution is keyed by. */
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

interface RegistrationDoc extends Omit<Platform, 'id'> {
  /** Absent on registrations written before sites existed: the migration sets it. */
  siteId?: string;
}

interface SiteDoc {
  _id: Types.ObjectId;
  issuer: string;
  name: string;
  formerIds: string[];
  createdAt: Date;
}

const registrationSchema = new Schema<RegistrationDoc>(
  {
    issuer: { type: String, required: true },
    clientId: { type: String, required: true },
    siteId: { type: String },
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

export const SITES_COLLECTION = 'sites';
export const REGISTRATIONS_COLLECTION = 'platforms';

const toPlatform = (d: RegistrationDoc & { _id: unknown }): Platform => ({
  id: d.siteId ?? String(d._id),
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

const toSite = (d: SiteDoc): Site => ({ id: String(d._id), issuer: d.issuer, name: d.name, formerIds: [...(d.formerIds ?? [])], createdAt: d.createdAt });

const keyOf = (issuer: string, clientId: string) => `${issuer}\u0000${clientId}`;
const isObjectIdHex = (id: string) => /^[a-f0-9]{24}$/i.test(id);
const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export class PlatformRepository {
  private readonly model: Model<RegistrationDoc>;
  private readonly recent = new RecentReads<Platform>(5_000);
  private readonly connection: Connection;
  constructor(connection: Connection) {
    this.connection = connection;
    this.model = connection.models.Platform ?? connection.model<RegistrationDoc>('Platform', registrationSchema);
  }

  private get sites() {
    return this.connection.collection<SiteDoc>(SITES_COLLECTION);
  }

  /** Read at login and at launch: reused for 5 s (a removal or re-registration in this process shows at once). */
  findByIssuerAndClient(issuer: string, clientId: string): Promise<Platform | null> {
    return this.recent.get(keyOf(issuer, clientId), async () => {
      const d = await this.model.findOne({ issuer, clientId }).lean();
      return d ? toPlatform(d) : null;
    });
  }

  /** The site (tenant) with this id; a former id (a registration merged into a site) is not a site. */
  async findById(id: string): Promise<Site | null> {
    if (!isObjectIdHex(id)) return null;
    const d = await this.sites.findOne({ _id: new Types.ObjectId(id) });
    return d ? toSite(d) : null;
  }

  /** The site an id names, its own or a former one (old credentials name the issuer by the id they were issued under). */
  async findSiteByAnyId(id: string): Promise<Site | null> {
    if (!isObjectIdHex(id)) return null;
    const d = (await this.sites.findOne({ _id: new Types.ObjectId(id) })) ?? (await this.sites.findOne({ formerIds: id.toLowerCase() }));
    return d ? toSite(d) : null;
  }

  async findSiteByIssuer(issuer: string): Promise<Site | null> {
    const d = await this.sites.findOne({ issuer });
    return d ? toSite(d) : null;
  }

  /** Every registration (a site registered twice is listed twice, with the same `id`). */
  async list(): Promise<Platform[]> {
    return (await this.model.find().sort({ createdAt: 1 }).lean()).map(toPlatform);
  }

  async listSites(): Promise<Site[]> {
    return (await this.sites.find().sort({ createdAt: 1 }).toArray()).map(toSite);
  }

  /**
   * Creates the registration or updates its endpoints, adding deployment ids (a re-registration keeps old ones).
   * The registration joins the site of its issuer, which is created on the site's first registration.
   */
  async upsert(p: NewPlatform): Promise<Platform> {
    const site = await this.ensureSite(p.issuer, p.name);
    const { deploymentIds, ...fields } = p;
    const d = await this.model
      .findOneAndUpdate(
        { issuer: p.issuer, clientId: p.clientId },
        { $set: { ...fields, siteId: site.id }, $addToSet: { deploymentIds: { $each: deploymentIds } }, $setOnInsert: { createdAt: new Date() } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean();
    this.recent.forget(keyOf(p.issuer, p.clientId));
    return toPlatform(d!);
  }

  /** The site of an issuer, created once: the unique issuer index settles two first registrations at once. */
  async ensureSite(issuer: string, name: string, id = new Types.ObjectId()): Promise<Site> {
    for (let attempt = 0; ; attempt++) {
      const existing = await this.sites.findOne({ issuer });
      if (existing) return toSite(existing);
      try {
        const doc: SiteDoc = { _id: id, issuer, name, formerIds: [], createdAt: new Date() };
        await this.sites.insertOne(doc);
        return toSite(doc);
      } catch (err) {
        if (!isDuplicateKey(err) || attempt > 0) throw err;
      }
    }
  }

  /** Removes one registration (a way in); the site and everything of the institution stay. */
  async remove(issuer: string, clientId: string): Promise<boolean> {
    const res = await this.model.deleteOne({ issuer, clientId });
    this.recent.forget(keyOf(issuer, clientId));
    return res.deletedCount === 1;
  }

  static indexes() {
    return [
      { collection: REGISTRATIONS_COLLECTION, key: { issuer: 1, clientId: 1 } as Record<string, 1>, unique: true },
      { collection: SITES_COLLECTION, key: { issuer: 1 } as Record<string, 1>, unique: true },
      { collection: SITES_COLLECTION, key: { formerIds: 1 } as Record<string, 1> },
    ];
  }
}
