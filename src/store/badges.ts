import { Schema, type Connection, type Model } from 'mongoose';

import type { BadgeDefinition } from '../badges/definition';

/**
 * A badge of a course. Its definition is versioned: editing makes a new version, and a learner's decision
 * and credential keep the version they were made on. `currentVersion` 0 means no definition yet (a badge
 * created from Moodle's activity chooser with a name only).
 */
export interface Badge {
  id: string;
  platformId: string;
  courseId: string;
  name: string;
  currentVersion: number;
  createdBy: string;
  createdAt: Date;
}

export interface BadgeVersion {
  badgeId: string;
  version: number;
  definition: BadgeDefinition;
  createdBy: string;
  createdAt: Date;
}

type BadgeDoc = Omit<Badge, 'id'>;

const schema = new Schema<BadgeDoc>(
  {
    platformId: { type: String, required: true },
    courseId: { type: String, required: true },
    name: { type: String, required: true, maxlength: 200 },
    currentVersion: { type: Number, default: 0 },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, default: () => new Date() },
  },
  { collection: 'badges', versionKey: false },
);

const toDomain = (d: BadgeDoc & { _id: unknown }): Badge => ({
  id: String(d._id),
  platformId: d.platformId,
  courseId: d.courseId,
  name: d.name,
  currentVersion: d.currentVersion ?? 0,
  createdBy: d.createdBy,
  createdAt: d.createdAt,
});

/** Versions kept in memory: a version never changes once stored, so a cached one is never stale. */
const VERSION_CACHE_SIZE = 500;

export class BadgeRepository {
  private readonly model: Model<BadgeDoc>;
  private readonly versionCache = new Map<string, BadgeVersion>();
  constructor(connection: Connection) {
    this.model = connection.models.Badge ?? connection.model<BadgeDoc>('Badge', schema);
  }

  async listForCourse(platformId: string, courseId: string): Promise<Badge[]> {
    return (await this.model.find({ platformId, courseId }).sort({ createdAt: 1 }).lean()).map(toDomain);
  }

  /** Whether the institution has defined any badge (its set-up checklist). */
  async anyInPlatform(platformId: string): Promise<boolean> {
    return (await this.model.findOne({ platformId }, { _id: 1 }).lean()) !== null;
  }

  async findById(id: string): Promise<Badge | null> {
    if (!/^[a-f0-9]{24}$/i.test(id)) return null;
    const d = await this.model.findById(id).lean();
    return d ? toDomain(d) : null;
  }

  /** Scoped lookup: a badge id from another platform or course is simply not found. */
  async findInCourse(platformId: string, courseId: string, id: string): Promise<Badge | null> {
    if (!/^[a-f0-9]{24}$/i.test(id)) return null;
    const d = await this.model.findOne({ _id: id, platformId, courseId }).lean();
    return d ? toDomain(d) : null;
  }

  async create(b: Omit<Badge, 'id' | 'createdAt' | 'currentVersion'>): Promise<Badge> {
    const d = await this.model.create({ ...b, currentVersion: 0, createdAt: new Date() });
    return toDomain(d.toObject());
  }

  /** Stores a new version; concurrent edits each get their own number (unique index), never overwrite. */
  async saveVersion(badge: Badge, definition: BadgeDefinition, createdBy: string): Promise<BadgeVersion> {
    const versions = this.versions();
    for (;;) {
      const latest = await versions.find({ badgeId: badge.id }).sort({ version: -1 }).limit(1).next();
      const version = ((latest?.version as number | undefined) ?? 0) + 1;
      const doc = { badgeId: badge.id, version, definition, createdBy, createdAt: new Date() };
      try {
        await versions.insertOne({ ...doc });
      } catch (err) {
        if ((err as { code?: number }).code === 11000) continue;
        throw err;
      }
      await this.model.updateOne({ _id: badge.id }, { $max: { currentVersion: version }, $set: { name: definition.name.en } });
      this.rememberVersion(doc);
      return doc;
    }
  }

  async getVersion(badgeId: string, version: number): Promise<BadgeVersion | null> {
    const cached = this.versionCache.get(`${badgeId}@${version}`);
    if (cached) return cached;
    const d = (await this.versions().findOne({ badgeId, version }, { projection: { _id: 0 } })) as unknown as BadgeVersion | null;
    if (d) this.rememberVersion(d);
    return d ?? null;
  }

  private rememberVersion(v: BadgeVersion): void {
    const key = `${v.badgeId}@${v.version}`;
    this.versionCache.delete(key);
    this.versionCache.set(key, v);
    if (this.versionCache.size > VERSION_CACHE_SIZE) this.versionCache.delete(this.versionCache.keys().next().value!);
  }

  /** The current definition of each badge of a course that has one. */
  async currentVersions(platformId: string, courseId: string): Promise<Array<{ badge: Badge; version: BadgeVersion }>> {
    const badges = (await this.listForCourse(platformId, courseId)).filter((b) => b.currentVersion > 0);
    const out: Array<{ badge: Badge; version: BadgeVersion }> = [];
    for (const badge of badges) {
      const version = await this.getVersion(badge.id, badge.currentVersion);
      if (version) out.push({ badge, version });
    }
    return out;
  }

  /** Courses with at least one defined badge (what the scheduled sync visits). */
  async coursesWithDefinitions(): Promise<Array<{ platformId: string; courseId: string }>> {
    const docs = await this.model.find({ currentVersion: { $gt: 0 } }, { platformId: 1, courseId: 1 }).lean();
    const seen = new Map(docs.map((d) => [`${d.platformId}\u0000${d.courseId}`, { platformId: d.platformId, courseId: d.courseId }]));
    return [...seen.values()];
  }

  private versions() {
    return this.model.db.collection('badge_versions');
  }

  static indexes() {
    return [
      { collection: 'badges', key: { platformId: 1, courseId: 1 } as Record<string, 1> },
      { collection: 'badge_versions', key: { badgeId: 1, version: 1 } as Record<string, 1>, unique: true },
    ];
  }
}
