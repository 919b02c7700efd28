/**
 * CourseDataSource for Moodle, over its REST web services (LTI carries no completion at all: fixtures quirk 1).
 *
 * WS calls (structure not passed in; course info is cached for `courseInfoTtlMs`):
 * - getCourseStructure: core_course_get_courses_by_field + core_course_get_contents = 2
 * - getGradedStructure: getCourseStructure + core_grades_get_gradeitems (no grades: its cost does not grow with learners)
 * - getLearnerSnapshot: 2 (structure) + gradereport_user_get_grade_items(userid) + 2 completion calls = 5
 * - getLearnerSnapshots(N): 2 (structure, 0 + 1 with one passed in) + per learner the calls `reads` asks for (3 by
 *   default; 1 for a learner whose course is completed when only course completion is needed). Moodle has no
 *   bulk completion function, and its course-wide grade report (userid=0) costs the same work as the per-learner
 *   ones in one request (1,000 learners × 101 items: 289 s, 59 MB), so it is not used.
 * - listLearners: ⌊enrolled / pageSize⌋ + 1; getChangeHints and readCourseLearners: listLearners + the course-wide
 *   grade report (for small courses and tools; the sync does not use them).
 */
import { AppError } from '../../errors.js';
import type {
  CourseGradeItem,
  ConnectionCheck,
  CourseDataSource,
  CourseLearners,
  Learner,
  LearnerChangeHint,
  LearnerReads,
  LearnerSnapshotBatch,
  LearnerSnapshotFailure,
  LearnerSnapshotsOptions,
  SnapshotOptions,
} from '../data-source.js';
import type { CourseStructure, LearnerSnapshot } from '../../rules/snapshot';
import { MoodleErrorCode, SYSTEMIC_MOODLE_ERRORS } from './error-codes.js';
import { learnerFingerprint } from './fingerprint.js';
import {
  REQUIRED_FUNCTIONS,
  getActivitiesCompletion,
  getCourse,
  getCourseCompletion,
  getCourseContents,
  getCourseGradeItems,
  getEnrolledUsers,
  getGradeItemList,
  getSiteInfo,
  getUserGradeItems,
  type WsCaller,
} from './functions.js';
import { buildCourseStructure, buildLearnerSnapshot, epochToDate } from './snapshot-builder.js';
import { MoodleWsClient, type MoodleWsClientOptions } from './ws-client.js';
import type { ActivityStatus, CourseCompletionStatus, CourseInfo, UserGradeReport } from './ws-schemas.js';

export interface MoodleDataSourceOptions {
  platformId: string;
  client: WsCaller;
  /** Course role short names that make a learner. Default ["student"]. */
  learnerRoles?: readonly string[];
  /** core_enrol_get_enrolled_users page size. Default 500. */
  pageSize?: number;
  /**
   * List only active enrolments (option onlyactive). Off by default: core_enrol_get_enrolled_users then requires
   * moodle/course:enrolreview, which the documented WS role (fixtures README) does not have.
   */
  onlyActiveEnrolments?: boolean;
  /** Learners read at the same time by getLearnerSnapshots (HTTP is still capped by the client's limit). Default 4. */
  learnerConcurrency?: number;
  /** How long core_course_get_courses_by_field answers are reused. Default 5 minutes. */
  courseInfoTtlMs?: number;
  now?: () => Date;
}

/**
 * Course completion answers that mean "Moodle cannot tell" rather than "something is broken": a user who is not
 * tracked (teacher), a course without completion criteria, completion disabled.
 */
const NO_COURSE_COMPLETION = new Set(['usernotenroled', 'notenroled', 'nocriteriaset', 'completionnotenabled']);

export function toMoodleId(value: string, what: string): number {
  if (!/^[1-9]\d{0,14}$/.test(value)) {
    throw new AppError(MoodleErrorCode.INVALID_ARGUMENT, `${what} must be a Moodle id (a positive integer)`, {
      status: 400,
      details: { what },
    });
  }
  return Number(value);
}

function checkStructure(structure: CourseStructure | undefined, courseId: string): CourseStructure | undefined {
  if (structure && structure.courseId !== courseId) {
    throw new AppError(MoodleErrorCode.INVALID_ARGUMENT, 'The structure passed in belongs to another course', {
      status: 400,
      details: { courseId, structureCourseId: structure.courseId },
    });
  }
  return structure;
}

const isSystemic = (err: unknown) => err instanceof AppError && SYSTEMIC_MOODLE_ERRORS.has(err.code);

/**
 * Promise.all that rejects (with the first error, as Promise.all would) only once every read has settled, so a
 * failed learner or batch leaves no request behind, still retrying against Moodle after the caller gave up.
 */
async function allSettledFirst<A, B>(a: Promise<A> | A, b: Promise<B> | B): Promise<[A, B]> {
  let failed: { error: unknown } | undefined;
  const note = <T>(p: Promise<T> | T) =>
    Promise.resolve(p).catch((error: unknown) => {
      failed ??= { error };
      throw error;
    });
  const [ra, rb] = await Promise.allSettled([note(a), note(b)]);
  if (failed) throw failed.error;
  return [(ra as PromiseFulfilledResult<A>).value, (rb as PromiseFulfilledResult<B>).value];
}

type GradesByUser = ReadonlyMap<string, UserGradeReport>;
const byUser = (report: readonly UserGradeReport[]): GradesByUser => new Map(report.map((r) => [String(r.userid), r]));

export class MoodleDataSource implements CourseDataSource {
  readonly platformId: string;
  private readonly ws: WsCaller;
  private readonly learnerRoles: ReadonlySet<string>;
  private readonly pageSize: number;
  private readonly onlyActive: boolean;
  private readonly learnerConcurrency: number;
  private readonly courseInfoTtlMs: number;
  private readonly now: () => Date;
  private readonly courseInfos = new Map<number, { info: Promise<CourseInfo>; at: number }>();
  /** The bulk grade report behind each CourseLearners this source read; goes with the object. */
  private readonly courseGrades = new WeakMap<CourseLearners, GradesByUser>();

  constructor(options: MoodleDataSourceOptions) {
    this.platformId = options.platformId;
    this.ws = options.client;
    this.learnerRoles = new Set(options.learnerRoles ?? ['student']);
    this.pageSize = options.pageSize ?? 500;
    this.onlyActive = options.onlyActiveEnrolments ?? false;
    this.learnerConcurrency = Math.max(1, options.learnerConcurrency ?? 4);
    this.courseInfoTtlMs = options.courseInfoTtlMs ?? 5 * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  /** core_webservice_get_site_info's `functions` (the token's service) compared with REQUIRED_FUNCTIONS. */
  async checkConnection(): Promise<ConnectionCheck> {
    let info;
    try {
      info = await getSiteInfo(this.ws);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return {
        ok: false,
        siteName: null,
        release: null,
        missingFunctions: [],
        warnings: [],
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      };
    }
    const available = new Set(info.functions.map((f) => f.name));
    const missingFunctions = REQUIRED_FUNCTIONS.filter((name) => !available.has(name));
    const warnings: string[] = [];
    if (info.advancedfeatures?.some((f) => f.name === 'enablecompletion' && f.value === 0)) {
      warnings.push('Completion tracking is disabled site-wide (Site administration > Advanced features > Enable completion tracking)');
    }
    return { ok: missingFunctions.length === 0, siteName: info.sitename, release: info.release ?? null, missingFunctions, warnings };
  }

  async getCourseStructure(courseId: string): Promise<CourseStructure> {
    const cid = toMoodleId(courseId, 'courseId');
    const [course, contents] = await Promise.all([this.courseInfo(cid), getCourseContents(this.ws, cid)]);
    return buildCourseStructure({ courseId, course, contents });
  }

  async listLearners(courseId: string): Promise<Learner[]> {
    const cid = toMoodleId(courseId, 'courseId');
    const learners: Learner[] = [];
    for (let from = 0; ; from += this.pageSize) {
      const page = await getEnrolledUsers(this.ws, cid, {
        limitFrom: from,
        limitNumber: this.pageSize,
        onlyActive: this.onlyActive ? true : undefined,
        userFields: ['id', 'fullname', 'email', 'idnumber', 'roles', 'lastcourseaccess'],
      });
      for (const user of page) {
        const roles = (user.roles ?? []).map((r) => r.shortname);
        if (!roles.some((r) => this.learnerRoles.has(r))) continue;
        learners.push({
          userId: String(user.id),
          fullName: user.fullname ?? null,
          // Without moodle/site:viewuseridentity Moodle leaves `email` out (quirk 13).
          email: user.email || null,
          idNumber: user.idnumber || null,
          roles,
          lastCourseAccessAt: epochToDate(user.lastcourseaccess),
        });
      }
      if (page.length < this.pageSize) return learners;
    }
  }

  /**
   * The structure and the course's grade items from core_grades_get_gradeitems, whose cost does not grow with
   * the learners (the course-wide grade report does). It names no activity: module items are matched to the
   * activity of the same name. The course total is a choice of its own in the form (`courseTotal`), so it is left out.
   */
  async getGradedStructure(courseId: string): Promise<{ structure: CourseStructure; gradeItems: CourseGradeItem[] }> {
    const cid = toMoodleId(courseId, 'courseId');
    const [structure, items] = await Promise.all([this.getCourseStructure(courseId), getGradeItemList(this.ws, cid)]);
    const byName = new Map<string, string>();
    for (const a of structure.activities) if (!byName.has(a.name)) byName.set(a.name, a.id);
    const gradeItems = items.map((i) => ({
      id: String(i.id),
      name: i.itemname ?? `Grade item ${i.id}`,
      activityId: (i.itemname && byName.get(i.itemname)) || null,
      isCourseTotal: false,
    }));
    const idOf = new Map(gradeItems.filter((g) => g.activityId).map((g) => [g.activityId!, g.id]));
    return {
      structure: {
        ...structure,
        activities: structure.activities.map((a) => (a.gradeItemId === null && idOf.has(a.id) ? { ...a, gradeItemId: idOf.get(a.id)! } : a)),
      },
      gradeItems,
    };
  }

  async getLearnerSnapshot(courseId: string, userId: string, options: SnapshotOptions & { earnedBadgeIds?: readonly string[] } = {}): Promise<LearnerSnapshot> {
    const cid = toMoodleId(courseId, 'courseId');
    const uid = toMoodleId(userId, 'userId');
    const readAt = this.now();
    const [structure, course, grades] = await Promise.all([
      checkStructure(options.structure, courseId) ?? this.getCourseStructure(courseId),
      this.courseInfo(cid),
      getUserGradeItems(this.ws, cid, uid),
    ]);
    const completion = await this.readCompletion(cid, uid, completionEnabled(course));
    return buildLearnerSnapshot({
      platformId: this.platformId,
      courseId,
      userId,
      structure,
      ...completion,
      grades,
      earnedBadgeIds: options.earnedBadgeIds,
      readAt,
    });
  }

  /**
   * Per learner: their own grade report (gradereport_user_get_grade_items with their userid), activity completion
   * and course completion, at most `learnerConcurrency` learners at a time (the WS client's per-platform limit
   * still caps the HTTP requests). The course-wide grade report (userid=0) is not read: on a real site it costs
   * the same Moodle work as the per-learner calls in one request no timeout survives (1,000 learners × 101 items:
   * 289 s, 59 MB); it is used only when `options.course` (readCourseLearners) already brought it.
   * `options.reads` leaves out the calls no rule needs.
   * A platform-wide failure (token, function, network, timeout, malformed answer) rejects the whole batch
   * at once instead of failing thousands of learners one timeout at a time.
   */
  async getLearnerSnapshots(courseId: string, userIds: readonly string[], options: LearnerSnapshotsOptions = {}): Promise<LearnerSnapshotBatch> {
    const cid = toMoodleId(courseId, 'courseId');
    const ids = [...new Set(userIds)];
    const uids = new Map(ids.map((id) => [id, toMoodleId(id, 'userId')]));
    if (ids.length === 0) return { snapshots: [], failures: [] };

    const readAt = this.now();
    const reads = options.reads ?? { grades: true, activities: true, courseCompletion: true };
    const [structure, course] = await Promise.all([checkStructure(options.structure, courseId) ?? this.getCourseStructure(courseId), this.courseInfo(cid)]);
    const gradesByUser = this.gradesOf(options.course, courseId);
    const enabled = completionEnabled(course);

    const snapshots: LearnerSnapshot[] = [];
    const failures: LearnerSnapshotFailure[] = [];
    let abort: unknown;
    let next = 0;
    const readGrades = (uid: number, userId: string) =>
      !reads.grades && !reads.gradesToExplain ? null : (gradesByUser?.get(userId) ?? getUserGradeItems(this.ws, cid, uid));
    const worker = async () => {
      while (abort === undefined && next < ids.length) {
        const userId = ids[next++]!;
        const uid = uids.get(userId)!;
        try {
          const [grades, completion] = await this.readLearner(cid, uid, enabled, reads, () => readGrades(uid, userId));
          snapshots.push(
            buildLearnerSnapshot({
              platformId: this.platformId,
              courseId,
              userId,
              structure,
              ...completion,
              grades,
              earnedBadgeIds: options.earnedBadgeIds?.get(userId),
              readAt,
            }),
          );
        } catch (err) {
          if (!(err instanceof AppError) || isSystemic(err)) abort ??= err;
          else failures.push({ userId, error: err });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.learnerConcurrency, ids.length) }, worker));
    if (abort !== undefined) throw abort;
    // Input order, whatever order the workers finished in.
    const order = new Map(ids.map((id, i) => [id, i]));
    snapshots.sort((a, b) => order.get(a.userId)! - order.get(b.userId)!);
    return { snapshots, failures };
  }

  /**
   * One learner's reads. Plain: all asked-for reads at once. Otherwise in two steps: completion first, then
   * what it calls for (activities only while the course is not completed; grades to explain a non-completion or
   * a failed activity).
   */
  private async readLearner(
    cid: number,
    uid: number,
    enabled: boolean,
    reads: LearnerReads,
    grades: () => Promise<UserGradeReport | null> | UserGradeReport | null,
  ) {
    const twoSteps = enabled && (reads.onlyIfCourseIncomplete || (!reads.grades && reads.gradesToExplain));
    if (!twoSteps) return allSettledFirst(grades(), this.readCompletion(cid, uid, enabled, reads));
    const first = await this.readCompletion(cid, uid, enabled, {
      activities: reads.activities && !reads.onlyIfCourseIncomplete,
      courseCompletion: reads.courseCompletion,
    });
    const notCompleted = first.courseCompletion !== null && !first.courseCompletion.completed;
    const failed = first.activityStatuses.some((s) => s.state === 3);
    // a grade rule reads grades whatever the course completion says; the explanation only when something is missing
    const needGrades = reads.grades || notCompleted || failed;
    const needActivities = reads.onlyIfCourseIncomplete && reads.activities && notCompleted;
    const [g, rest] = await allSettledFirst(
      needGrades ? grades() : null,
      needActivities ? this.readCompletion(cid, uid, enabled, { activities: true, courseCompletion: false }) : first,
    );
    return [g, { activityStatuses: rest.activityStatuses, courseCompletion: first.courseCompletion }] as const;
  }

  /** Fingerprints from core_enrol_get_enrolled_users (lastcourseaccess) + one course-wide grade report. */
  async getChangeHints(courseId: string, userIds?: readonly string[]): Promise<Map<string, LearnerChangeHint>> {
    const { hints } = await this.readCourseLearners(courseId);
    if (!userIds) return hints;
    const wanted = new Set(userIds);
    return new Map([...hints].filter(([userId]) => wanted.has(userId)));
  }

  /**
   * listLearners and one course-wide grade report, read together; the report stays with the returned object, so
   * getLearnerSnapshots given it (`course`) takes each learner's grades from it instead of reading it again.
   */
  async readCourseLearners(courseId: string): Promise<CourseLearners> {
    const cid = toMoodleId(courseId, 'courseId');
    const [learners, report] = await Promise.all([this.listLearners(courseId), getCourseGradeItems(this.ws, cid)]);
    const gradesByUser = byUser(report);
    const hints = new Map<string, LearnerChangeHint>();
    for (const learner of learners) {
      hints.set(
        learner.userId,
        learnerFingerprint({
          userId: learner.userId,
          lastCourseAccess: learner.lastCourseAccessAt ? learner.lastCourseAccessAt.getTime() / 1000 : 0,
          gradeItems: gradesByUser.get(learner.userId)?.gradeitems,
        }),
      );
    }
    const course: CourseLearners = { courseId, learners, hints };
    this.courseGrades.set(course, gradesByUser);
    return course;
  }

  /** The grade report behind a CourseLearners read by this source; undefined when there is none (then it is read). */
  private gradesOf(course: CourseLearners | undefined, courseId: string): GradesByUser | undefined {
    if (!course) return undefined;
    if (course.courseId !== courseId) {
      throw new AppError(MoodleErrorCode.INVALID_ARGUMENT, 'The learners passed in belong to another course', {
        status: 400,
        details: { courseId, learnersCourseId: course.courseId },
      });
    }
    return this.courseGrades.get(course);
  }

  /** core_course_get_courses_by_field, cached: name for the structure, enablecompletion to skip pointless calls. */
  private courseInfo(cid: number): Promise<CourseInfo> {
    const cached = this.courseInfos.get(cid);
    const now = Date.now();
    if (cached && now - cached.at < this.courseInfoTtlMs) return cached.info;
    const info = getCourse(this.ws, cid).then((course) => {
      if (!course) {
        throw new AppError(MoodleErrorCode.COURSE_NOT_FOUND, `Moodle course ${cid} not found (or not visible to the web-service user)`, {
          status: 404,
          details: { courseId: String(cid) },
        });
      }
      return course;
    });
    info.catch(() => this.courseInfos.delete(cid));
    this.courseInfos.set(cid, { info, at: now });
    return info;
  }

  private async readCompletion(
    cid: number,
    uid: number,
    enabled: boolean,
    reads: Pick<LearnerReads, 'activities' | 'courseCompletion'> = { activities: true, courseCompletion: true },
  ): Promise<{ activityStatuses: ActivityStatus[]; courseCompletion: CourseCompletionStatus | null }> {
    if (!enabled) return { activityStatuses: [], courseCompletion: null };
    const [activities, courseCompletion] = await allSettledFirst(
      reads.activities ? getActivitiesCompletion(this.ws, cid, uid) : { statuses: [] },
      !reads.courseCompletion
        ? null
        : getCourseCompletion(this.ws, cid, uid).catch((err: unknown) => {
            const code = err instanceof AppError ? err.details?.['errorcode'] : undefined;
            if (typeof code === 'string' && NO_COURSE_COMPLETION.has(code)) return null;
            throw err;
          }),
    );
    return { activityStatuses: activities.statuses, courseCompletion };
  }
}

function completionEnabled(course: CourseInfo): boolean {
  // Unknown (field absent) counts as enabled: the completion calls then answer for themselves.
  return course.enablecompletion === undefined || course.enablecompletion === null ? true : Boolean(course.enablecompletion);
}

/** A MoodleDataSource with its own MoodleWsClient (the concurrency limit is still shared per platformId). */
export function createMoodleDataSource(options: Omit<MoodleWsClientOptions, 'platformId'> & Omit<MoodleDataSourceOptions, 'client'>): MoodleDataSource {
  const client = new MoodleWsClient({ ...options, platformId: options.platformId });
  return new MoodleDataSource({ ...options, client });
}
