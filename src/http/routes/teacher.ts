import { Router, type Request, type Response } from 'express';
import { completeForm, definitionInputFromForm, excludedFromForm, formFromDefinition } from '../../badges/definition-form';
import { parseBadgeDefinition, type BadgeDefinition } from '../../badges/definition';
import { ruleFromForm } from '../../badges/rule-form';
import { listBadgeTemplates } from '../../credentials/images/render-template';
import { AppError } from '../../errors';
import type { DataSources } from '../../lms/sources';
import { explainDecision, parseRule, validateRuleAgainstCourse } from '../../rules';
import { changeCredentialStatus } from '../../issuance/revocation';
import type { Issuance } from '../../issuance/services';
import type { BulkIssuance } from '../../issuance/bulk/jobs';
import { earnedWithout } from '../../sync/synthetic-decision';
import type { AuditLogRepository } from '../../store/audit-log';
import type { Badge, BadgeRepository } from '../../store/badges';
import type { DecisionRepository, StoredDecision } from '../../store/decisions';
import type { SyncRunRepository } from '../../store/sync-runs';
import type { Locale } from '../../lti/launch-context';
import { translate, type MessageKey } from '../i18n';
import { moodleFailure, type MoodleFailureView } from '../moodle-failure';
import type { SetupStateOf } from '../setup-state';
import { contextOf, requireRole } from '../middleware/session';
import { navFor, sessionLink } from '../nav';
import { renderPage } from '../views';

export interface TeacherDeps {
  badges: BadgeRepository;
  decisions: DecisionRepository;
  runs: SyncRunRepository;
  sources: DataSources;
  audit: AuditLogRepository;
  issuance: Issuance;
  bulkIssuance: BulkIssuance;
  /** Starts a course sync in the background; resolves once the run is recorded. */
  startSync(platformId: string, courseId: string): Promise<void>;
  setupState: SetupStateOf;
}

interface FormStructure {
  sections: Array<{ id: string; name: string; activities: Array<{ id: string; name: string; modname: string; completionTracked: boolean }> }>;
  gradeItems: Array<{ id: string; name: string }>;
  /** Every grade item, the course total included: what the credential can state. */
  assessable: Array<{ id: string; name: string }>;
}

const teacherOnly = requireRole('teacher');

/**
 * Per learner, the decision a teacher should see for a badge: the current version's, else the newest earned one
 * of an older version (an earned badge stays earned when the badge is edited), else the newest.
 */
export function decisionsPerLearner(decisions: readonly StoredDecision[], currentVersion: number): StoredDecision[] {
  const byUser = new Map<string, StoredDecision[]>();
  for (const d of decisions) byUser.set(d.userId, [...(byUser.get(d.userId) ?? []), d]);
  return [...byUser.values()].map((list) => {
    const newest = [...list].sort((a, b) => b.badgeVersion - a.badgeVersion);
    return (
      newest.find((d) => d.badgeVersion === currentVersion && d.earned) ??
      newest.find((d) => d.earned) ??
      newest.find((d) => d.badgeVersion === currentVersion) ??
      newest[0]!
    );
  });
}

/** Teacher pages: the course's badges with class progress, the badge editor (versioned), learners per badge, sync. */
export function teacherRoutes(deps: TeacherDeps) {
  const router = Router();

  /**
   * The course's real sections and activities, read from Moodle; null without a web service; when Moodle fails,
   * what failed (function, HTTP status or timeout, Moodle's own error), logged with the request id.
   */
  async function formStructure(
    req: Request,
    platformId: string,
    courseId: string,
    locale: Locale,
  ): Promise<FormStructure | { failure: MoodleFailureView } | null> {
    const source = await deps.sources.forPlatform(platformId);
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

  async function findBadge(res: Response, id: string): Promise<Badge> {
    const c = contextOf(res);
    const badge = await deps.badges.findInCourse(c.platformId, c.courseId, id);
    if (!badge) throw new AppError('BADGE_NOT_FOUND', 'There is no such badge in this course.', { status: 404 });
    return badge;
  }

  async function showForm(
    req: Request,
    res: Response,
    badge: Badge | null,
    values: Record<string, string>,
    problems: Array<{ field: string; message: string }> = [],
    status = 200,
  ) {
    const c = contextOf(res);
    const token = res.locals.sessionToken!;
    const read = await formStructure(req, c.platformId, c.courseId, c.locale);
    renderPage(
      res,
      'badge-form',
      {
        title: badge ? translate(c.locale, 'badge.editHeading', { name: badge.name }) : translate(c.locale, 'badge.newHeading'),
        heading: badge ? translate(c.locale, 'badge.editHeading', { name: badge.name }) : translate(c.locale, 'badge.newHeading'),
        locale: c.locale,
        userName: c.userName,
        nav: navFor(c, token, 'teacher'),
        sessionToken: token,
        action: badge ? `/app/teacher/badges/${badge.id}` : '/app/teacher/badges',
        version: badge?.currentVersion || null,
        values: completeForm(values),
        problems,
        templates: listBadgeTemplates(),
        structure: read && !('failure' in read) ? read : null,
        structureFailure: read && 'failure' in read ? read.failure : null,
      },
      status,
    );
  }

  /** Form → definition with every problem named (rule JSON, rule against the course, achievement fields). */
  async function readDefinition(
    req: Request,
    res: Response,
  ): Promise<{ ok: true; definition: BadgeDefinition } | { ok: false; problems: Array<{ field: string; message: string }> }> {
    const c = contextOf(res);
    const problems: Array<{ field: string; message: string }> = [];
    const fromForm = ruleFromForm(req.body);
    let ruleJson: unknown = null;
    if (!fromForm.ok) problems.push({ field: 'rule', message: fromForm.message });
    else {
      const rule = parseRule(fromForm.rule);
      if (!rule.ok) problems.push(...rule.problems.map((p) => ({ field: `rule ${p.path}`, message: p.message })));
      else {
        ruleJson = rule.rule;
        const source = await deps.sources.forPlatform(c.platformId);
        const graded = source ? await source.getGradedStructure(c.courseId).catch(() => null) : null;
        const badgeIds = (await deps.badges.listForCourse(c.platformId, c.courseId)).map((b) => b.id);
        if (graded)
          problems.push(
            ...validateRuleAgainstCourse(rule.rule, graded.structure, { badgeIds, gradeItemIds: graded.gradeItems.map((g) => g.id) }).map((p) => ({
              field: `rule ${p.path}`,
              message: p.message,
            })),
          );
      }
    }
    // the rule's own problems are listed above; a placeholder keeps the definition parser from repeating "rule is required"
    const parsed = parseBadgeDefinition(definitionInputFromForm(req.body, ruleJson ?? { type: 'courseCompleted' }));
    if (!parsed.ok) problems.push(...parsed.problems);
    if (problems.length || !parsed.ok) return { ok: false, problems };
    return { ok: true, definition: { ...parsed.definition, rule: ruleJson } };
  }

  const formValuesOf = (body: Record<string, unknown>) => ({
    ...Object.fromEntries(
      Object.entries(body)
        .filter(([k]) => k !== 's')
        .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]),
    ),
    excludedGradeItems: excludedFromForm(body).join(','),
  });

  router.get('/app/teacher', teacherOnly, async (req, res) => {
    const c = contextOf(res);
    const token = res.locals.sessionToken!;
    const badges = await deps.badges.listForCourse(c.platformId, c.courseId);
    const decisions = await deps.decisions.listForCourse(c.platformId, c.courseId);
    const run = await deps.runs.latest(c.platformId, c.courseId);
    const hasWebService = !!(await deps.sources.forPlatform(c.platformId));
    const setup = await deps.setupState(c.platformId);
    renderPage(res, 'teacher-home', {
      registrarTodo: setup.registrarTodo.map((step) => translate(c.locale, `setup.todo.${step}` as MessageKey)),
      title: translate(c.locale, 'nav.teacher'),
      heading: translate(c.locale, 'teacher.heading', { course: c.courseTitle ?? c.courseId }),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, token, 'teacher'),
      sessionToken: token,
      hasWebService,
      issuing: req.query.issuing === '1',
      links: { newBadge: sessionLink('/app/teacher/badges/new', token) },
      run: run && {
        ...run,
        when: run.finishedAt ?? run.startedAt,
        rate: run.ratePerMinute ?? null,
        expectedEnd: run.expectedEndAt ?? null,
        advice: run.error && /^MOODLE_/.test(run.error.code) ? moodleFailure(new AppError(run.error.code, run.error.message), c.locale).advice : null,
      },
      badges: badges.map((b) => {
        const mine = decisionsPerLearner(
          decisions.filter((d) => d.badgeId === b.id),
          b.currentVersion,
        );
        const counts = {
          earned: mine.filter((d) => d.earned).length,
          inProgress: mine.filter((d) => !d.earned && d.status === 'in-progress').length,
          notStarted: mine.filter((d) => !d.earned && d.status !== 'in-progress').length,
        };
        const total = Math.max(1, mine.length);
        return {
          name: b.name,
          version: b.currentVersion,
          counts,
          bar: { earned: Math.round((160 * counts.earned) / total), inProgress: Math.round((160 * counts.inProgress) / total) },
          learnersHref: sessionLink(`/app/teacher/badges/${b.id}`, token),
          editHref: sessionLink(`/app/teacher/badges/${b.id}/edit`, token),
        };
      }),
    });
  });

  router.get('/app/teacher/badges/new', teacherOnly, async (req, res) => showForm(req, res, null, formFromDefinition(null)));

  router.post('/app/teacher/badges', teacherOnly, async (req, res) => {
    const c = contextOf(res);
    const read = await readDefinition(req, res);
    if (!read.ok) return showForm(req, res, null, formValuesOf(req.body), read.problems, 400);
    const badge = await deps.badges.create({ platformId: c.platformId, courseId: c.courseId, name: read.definition.name.en, createdBy: c.userId });
    const version = await deps.badges.saveVersion(badge, read.definition, c.userId);
    await deps.audit.record({
      platformId: c.platformId,
      actor: { userId: c.userId, role: 'teacher' },
      action: 'badge.create',
      subject: { kind: 'badge', id: badge.id },
      details: { version: version.version },
    });
    res.redirect(303, sessionLink('/app/teacher', res.locals.sessionToken!));
  });

  router.get('/app/teacher/badges/:id/edit', teacherOnly, async (req, res) => {
    const badge = await findBadge(res, String(req.params.id));
    const current = badge.currentVersion ? await deps.badges.getVersion(badge.id, badge.currentVersion) : null;
    const values = formFromDefinition(current?.definition ?? null);
    if (!current) values.nameEn = badge.name;
    await showForm(req, res, badge, values);
  });

  router.post('/app/teacher/badges/:id', teacherOnly, async (req, res) => {
    const c = contextOf(res);
    const badge = await findBadge(res, String(req.params.id));
    const read = await readDefinition(req, res);
    if (!read.ok) return showForm(req, res, badge, formValuesOf(req.body), read.problems, 400);
    const version = await deps.badges.saveVersion(badge, read.definition, c.userId);
    await deps.audit.record({
      platformId: c.platformId,
      actor: { userId: c.userId, role: 'teacher' },
      action: 'badge.update',
      subject: { kind: 'badge', id: badge.id },
      details: { version: version.version },
    });
    res.redirect(303, sessionLink('/app/teacher', res.locals.sessionToken!));
  });

  router.get('/app/teacher/badges/:id', teacherOnly, async (req, res) => {
    const c = contextOf(res);
    const token = res.locals.sessionToken!;
    const badge = await findBadge(res, String(req.params.id));
    const decisions = decisionsPerLearner(await deps.decisions.listForCourse(c.platformId, c.courseId, { badgeId: badge.id }), badge.currentVersion);
    const order = { earned: 0, 'in-progress': 1, 'not-started': 2, closed: 3 } as const;
    decisions.sort((a, b) => order[a.earned ? 'earned' : a.status] - order[b.earned ? 'earned' : b.status] || a.userId.localeCompare(b.userId));
    const issued = await deps.issuance.credentials.listForPlatform(c.platformId, { courseId: c.courseId, badgeId: badge.id });
    renderPage(res, 'badge-learners', {
      sessionToken: token,
      badgeId: badge.id,
      title: translate(c.locale, 'learners.heading', { name: badge.name }),
      heading: translate(c.locale, 'learners.heading', { name: badge.name }),
      locale: c.locale,
      userName: c.userName,
      nav: navFor(c, token, 'teacher'),
      backHref: sessionLink('/app/teacher', token),
      rows: decisions.map((d) => ({
        name: d.learner?.name ?? `#${d.userId}`,
        status: d.earned ? 'earned' : d.status,
        fraction: d.earned ? 1 : d.progress.fraction,
        lines: d.earned ? (d.manual ? [`${d.manual.by}: ${d.manual.reason}`] : []) : explainDecision(d.decision, c.locale),
        credential: issued.find((x) => x.userId === d.userId) ?? null,
      })),
    });
  });

  /** A manual award with its reason: recorded as the decision's evidence and in the audit log. */
  router.post('/app/teacher/badges/:id/award', teacherOnly, async (req, res) => {
    const c = contextOf(res);
    const badge = await findBadge(res, String(req.params.id));
    const userId = typeof req.body.userId === 'string' ? req.body.userId.trim() : '';
    const reason = typeof req.body.reason === 'string' ? req.body.reason.trim().slice(0, 500) : '';
    if (!/^[1-9]\d{0,14}$/.test(userId)) throw new AppError('AWARD_USER_INVALID', 'Give the Moodle user id of the learner.', { status: 400 });
    if (!reason) throw new AppError('AWARD_REASON_REQUIRED', 'Give a reason for the manual award.', { status: 400 });
    if (!badge.currentVersion) throw new AppError('BADGE_NOT_DEFINED', 'Define the badge before awarding it.', { status: 409 });
    const now = new Date();
    const evidence = {
      kind: 'activity-completion' as const,
      activityId: `manual-award:${badge.id}`,
      name: `Manual award: ${reason}`,
      state: 'complete' as const,
      date: now,
    };
    const decision = earnedWithout({ type: 'badgeEarned', badgeId: badge.id }, { kind: 'badge-earned', badgeId: badge.id }, [evidence], now);
    await deps.decisions.record({
      platformId: c.platformId,
      courseId: c.courseId,
      userId,
      badgeId: badge.id,
      badgeVersion: badge.currentVersion,
      source: 'manual',
      earned: true,
      status: 'earned',
      progress: decision.progress,
      decision,
      earnedAt: now,
      evaluatedAt: now,
      manual: { by: c.userName ?? c.userId, reason },
    });
    await deps.audit.record({
      platformId: c.platformId,
      actor: { userId: c.userId, role: 'teacher' },
      action: 'badge.award-manual',
      subject: { kind: 'badge', id: badge.id },
      reason,
      details: { userId, version: badge.currentVersion },
    });
    res.redirect(303, sessionLink(`/app/teacher/badges/${badge.id}`, res.locals.sessionToken!));
  });

  /** A teacher revokes a credential of their own course, with a reason. */
  router.post('/app/teacher/credentials/:id/revoke', teacherOnly, async (req, res) => {
    const c = contextOf(res);
    const reason = typeof req.body.reason === 'string' ? req.body.reason.trim().slice(0, 500) : '';
    if (!reason) throw new AppError('STATUS_REASON_REQUIRED', 'Give a reason.', { status: 400 });
    const record = await deps.issuance.credentials.findById(String(req.params.id));
    if (!record || record.platformId !== c.platformId || record.courseId !== c.courseId || record.state !== 'issued')
      throw new AppError('CREDENTIAL_NOT_FOUND', 'There is no such credential in this course.', { status: 404 });
    await changeCredentialStatus(deps.issuance, deps.audit, record, 'revoked', reason, { userId: c.userId, role: 'teacher' });
    res.redirect(303, sessionLink(`/app/teacher/badges/${record.badgeId}`, res.locals.sessionToken!));
  });

  router.post('/app/teacher/sync', teacherOnly, async (_req, res) => {
    const c = contextOf(res);
    await deps.startSync(c.platformId, c.courseId);
    res.redirect(303, sessionLink('/app/teacher', res.locals.sessionToken!));
  });

  /**
   * Issues every earned award of the course that is not issued yet (e.g. at term end), in the background and in
   * batches; learners find their credentials under "My credentials". Their names are not shown in these
   * credentials: showing it is the learner's own choice, made when claiming.
   */
  router.post('/app/teacher/issue-earned', teacherOnly, async (_req, res) => {
    const c = contextOf(res);
    const job = await deps.bulkIssuance.request(
      { platformId: c.platformId, platformIssuer: c.issuer, deploymentId: c.deploymentId, courseId: c.courseId, courseTitle: c.courseTitle },
      c.userId,
    );
    await deps.audit.record({
      platformId: c.platformId,
      actor: { userId: c.userId, role: 'teacher' },
      action: 'credentials.issue-earned',
      subject: { kind: 'course', id: c.courseId },
      details: { job: job.id },
    });
    res.redirect(303, `${sessionLink('/app/teacher', res.locals.sessionToken!)}&issuing=1`);
  });

  router.get('/app/teacher/sync/status', teacherOnly, async (_req, res) => {
    const c = contextOf(res);
    res.json({ run: await deps.runs.latest(c.platformId, c.courseId) });
  });

  return router;
}
