import type { Request } from 'express';
import type { DataSources } from '../../../lms/sources';
import type { Locale } from '../../../lti/launch-context';
import { moodleFailure, type MoodleFailureView } from '../../moodle-failure';

export interface CourseStructure {
  sections: Array<{ id: string; name: string; activities: Array<{ id: string; name: string; modname: string; completionTracked: boolean }> }>;
  gradeItems: Array<{ id: string; name: string }>;
  /** Every grade item, the course total included: what the credential can state. */
  assessable: Array<{ id: string; name: string }>;
}

/**
 * The course's real sections and activities for the badge form, read from Moodle; null without a web service;
 * when Moodle fails, what failed (function, HTTP status or timeout, Moodle's own error), logged with the request id.
 */
export async function readCourseStructure(
  sources: DataSources,
  req: Request,
  platformId: string,
  courseId: string,
  locale: Locale,
): Promise<CourseStructure | { failure: MoodleFailureView } | null> {
  const source = await sources.forPlatform(platformId);
  if (!source) return null;
  let graded: Awaited<ReturnType<typeof source.getGradedStructure>>;
  try {
    graded = await source.getGradedStructure(courseId);
  } catch (err) {
    const failure = moodleFailure(err, locale);
    req.log?.warn(
      { platformId, courseId, code: failure.code, what: failure.what, moodleSaid: failure.moodleSaid },
      'the badge form could not read the course from Moodle',
    );
    return { failure };
  }
  const { structure } = graded;
  const byId = new Map(structure.activities.map((a) => [a.id, a]));
  return {
    sections: structure.sections.map((s) => ({
      id: s.id,
      name: s.name,
      activities: s.activityIds
        .map((id) => byId.get(id))
        .filter((a): a is NonNullable<typeof a> => !!a)
        .map((a) => ({ id: a.id, name: a.name, modname: a.modname, completionTracked: a.completionTracked })),
    })),
    // the course total has its own choice in the form
    gradeItems: graded.gradeItems.filter((g) => !g.isCourseTotal).map((g) => ({ id: g.id, name: g.name })),
    // what the credential can state: every grade item, the course total included
    assessable: graded.gradeItems.map((g) => ({ id: g.id, name: g.name })),
  };
}
