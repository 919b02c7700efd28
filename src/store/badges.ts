import { Schema, type Connection, type Model } from 'mongoose';

/** A badge defined for a course. The full definition (rules, achievement fields, versions) grows from here. */
export interface Badge {
  id: string;
  platformId: string;
  courseId: string;
  name: string;
  createdBy: string;
  createdAt: Date;
}

interface BadgeDoc extends Omit<Badge, 'id'> {}

const schema = new Schema<BadgeDoc>(
  {
    platformId: { type: String, required: true },
    courseId: { type: String, required: true },
    name: { type: String, required: true, maxlength: 200 },
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
  createdBy: d.createdBy,
  createdAt: d.createdAt,
});

export class BadgeRepository {
  private readonly model: Model<BadgeDoc>;
  constructor(connection: Connection) {
    this.model = connection.models.Badge ?? connection.model<BadgeDoc>('Badge', schema);
  }

  async listForCourse(platformId: string, courseId: string): Promise<Badge[]> {
    return (await this.model.find({ platformId, courseId }).sort({ createdAt: 1 }).lean()).map(toDomain);
  }

  /** Scoped lookup: a badge id from another platform or course is simply not found. */
  async findInCourse(platformId: string, courseId: string, id: string): Promise<Badge | null> {
    if (!/^[a-f0-9]{24}$/i.test(id)) return null;
    const d = await this.model.findOne({ _id: id, platformId, courseId }).lean();
    return d ? toDomain(d) : null;
  }

  async create(b: Omit<Badge, 'id' | 'createdAt'>): Promise<Badge> {
    const d = await this.model.create({ ...b, createdAt: new Date() });
    return toDomain(d.toObject());
  }

  static indexes() {
    return [{ collection: 'badges', key: { platformId: 1, courseId: 1 } as Record<string, 1> }];
  }
}
