/**
 * Shapes of the web-service answers we read, limited to the fields we use (unknown fields are dropped).
 * Written from Moodle 4.5's *_returns() descriptions and checked against the captured answers in
 * test/fixtures/moodle-ws. Fields Moodle declares VALUE_OPTIONAL are optional here too: e.g. gradereport_user
 * only sends grademin/grademax when the user report shows the range column, and graderaw only when the
 * grade is visible to the WS user.
 */
import { z } from 'zod';

const int = z.number().int();

export const siteInfoSchema = z.object({
  sitename: z.string(),
  username: z.string(),
  userid: int,
  siteurl: z.string(),
  release: z.string().optional(),
  version: z.string().optional(),
  functions: z.array(z.object({ name: z.string(), version: z.string().optional() })),
  advancedfeatures: z.array(z.object({ name: z.string(), value: int })).optional(),
});
export type SiteInfo = z.infer<typeof siteInfoSchema>;

export const coursesByFieldSchema = z.object({
  courses: z.array(
    z.object({
      id: int,
      fullname: z.string(),
      shortname: z.string(),
      displayname: z.string().optional(),
      idnumber: z.string().nullish(),
      // 0/1 in 4.5; some versions send a boolean.
      enablecompletion: z.union([int, z.boolean()]).nullish(),
    }),
  ),
});
export type CourseInfo = z.infer<typeof coursesByFieldSchema>['courses'][number];

export const courseContentsSchema = z.array(
  z.object({
    id: int,
    name: z.string(),
    section: int,
    visible: int.nullish(),
    uservisible: z.boolean().nullish(),
    modules: z.array(
      z.object({
        id: int,
        name: z.string(),
        modname: z.string(),
        instance: int.nullish(),
        visible: int.nullish(),
        uservisible: z.boolean().nullish(),
        /** 0 none, 1 manual, 2 automatic; absent when completion is off for the course. */
        completion: int.nullish(),
      }),
    ),
  }),
);
export type CourseContents = z.infer<typeof courseContentsSchema>;
export type CourseModule = CourseContents[number]['modules'][number];

export const activitiesCompletionSchema = z.object({
  statuses: z.array(
    z.object({
      cmid: int,
      modname: z.string(),
      instance: int,
      /** 0 incomplete, 1 complete, 2 complete-pass, 3 complete-fail (COMPLETION_* in lib/completionlib.php). */
      state: int.min(0).max(3),
      timecompleted: int.nullable(),
      tracking: int,
      overrideby: int.nullish(),
    }),
  ),
});
export type ActivitiesCompletion = z.infer<typeof activitiesCompletionSchema>;
export type ActivityStatus = ActivitiesCompletion['statuses'][number];

export const courseCompletionSchema = z.object({
  completionstatus: z.object({
    completed: z.boolean(),
    /** 1 all, 2 any (COMPLETION_AGGREGATION_*). */
    aggregation: int,
    completions: z.array(
      z.object({
        type: int,
        title: z.string(),
        status: z.string(),
        complete: z.boolean(),
        timecompleted: int.nullable(),
        /** `criteria` is HTML (a link to the activity, whose `id=` is the cmid); `requirement` says what is asked. */
        details: z
          .object({ type: z.string().nullish(), criteria: z.string().nullish(), requirement: z.string().nullish(), status: z.string().nullish() })
          .nullish(),
      }),
    ),
  }),
});
export type CourseCompletionStatus = z.infer<typeof courseCompletionSchema>['completionstatus'];

export const gradeItemSchema = z.object({
  id: int,
  itemname: z.string().nullable(),
  itemtype: z.string(),
  itemmodule: z.string().nullish(),
  iteminstance: int.nullish(),
  itemnumber: int.nullish(),
  idnumber: z.string().nullish(),
  cmid: int.nullish(),
  graderaw: z.number().nullish(),
  gradedatesubmitted: int.nullish(),
  gradedategraded: int.nullish(),
  gradeishidden: z.boolean().nullish(),
  gradehiddenbydate: z.boolean().nullish(),
  gradeneedsupdate: z.boolean().nullish(),
  grademin: z.number().nullish(),
  grademax: z.number().nullish(),
  percentageformatted: z.string().nullish(),
  status: z.string().nullish(),
  scaleid: int.nullish(),
  gradeformatted: z.string().nullish(),
  /** Not sent by Moodle 4.x's gradereport_user; read when a site or version does send it. */
  gradepass: z.number().nullish(),
});
export type GradeReportItem = z.infer<typeof gradeItemSchema>;

/** core_grades_get_gradeitems (Moodle 4.2+): the course's grade items, ids as strings, no grades (cheap). */
export const courseGradeItemsSchema = z.object({
  gradeItems: z.array(z.object({ id: z.union([z.string(), int]), itemname: z.string().nullable(), category: z.string().nullish() })),
});
export type CourseGradeItemList = z.infer<typeof courseGradeItemsSchema>['gradeItems'];

export const gradeReportSchema = z.object({
  usergrades: z.array(
    z.object({
      courseid: int,
      userid: int,
      userfullname: z.string(),
      useridnumber: z.string().nullish(),
      gradeitems: z.array(gradeItemSchema),
    }),
  ),
});
export type UserGradeReport = z.infer<typeof gradeReportSchema>['usergrades'][number];

export const enrolledUsersSchema = z.array(
  z.object({
    id: int,
    username: z.string().optional(),
    fullname: z.string().optional(),
    firstname: z.string().optional(),
    lastname: z.string().optional(),
    email: z.string().optional(),
    idnumber: z.string().optional(),
    firstaccess: int.nullish(),
    lastaccess: int.nullish(),
    lastcourseaccess: int.nullish(),
    suspended: z.boolean().optional(),
    roles: z.array(z.object({ roleid: int, name: z.string(), shortname: z.string(), sortorder: int.optional() })).optional(),
  }),
);
export type EnrolledUser = z.infer<typeof enrolledUsersSchema>[number];
