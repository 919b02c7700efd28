import type { Request, Response } from 'express';
import { completeForm, definitionInputFromForm, excludedFromForm } from '../../../badges/definition-form';
import { parseBadgeDefinition, type BadgeDefinition, type DefinitionProblem } from '../../../badges/definition';
import { ruleFromForm } from '../../../badges/rule-form';
import { listBadgeTemplates } from '../../../credentials/images/render-template';
import type { LaunchContext } from '../../../lti/launch-context';
import { parseRule, validateRuleAgainstCourse } from '../../../rules';
import type { Badge } from '../../../store/badges';
import { translate } from '../../i18n';
import { contextOf } from '../../middleware/session';
import { navFor } from '../../nav';
import { renderPage } from '../../views';
import { readCourseStructure } from './course-structure';
import type { TeacherDeps } from './deps';

type FormDeps = Pick<TeacherDeps, 'badges' | 'sources'>;

/** The badge editor (new badge when `badge` is null), with the course's structure and any problems of the last try. */
export async function showBadgeForm(
  deps: FormDeps,
  req: Request,
  res: Response,
  badge: Badge | null,
  values: Record<string, string>,
  problems: DefinitionProblem[] = [],
  status = 200,
) {
  const c = contextOf(res);
  const token = res.locals.sessionToken!;
  const read = await readCourseStructure(deps.sources, req, c.platformId, c.courseId, c.locale);
  const heading = badge ? translate(c.locale, 'badge.editHeading', { name: badge.name }) : translate(c.locale, 'badge.newHeading');
  renderPage(
    res,
    'badge-form',
    {
      title: heading,
      heading,
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

/** The form's rule as stored JSON (null when it has problems), checked against the course's real structure. */
async function readRule(deps: FormDeps, c: LaunchContext, body: Request['body']): Promise<{ ruleJson: unknown; problems: DefinitionProblem[] }> {
  const fromForm = ruleFromForm(body);
  if (!fromForm.ok) return { ruleJson: null, problems: [{ field: 'rule', message: fromForm.message }] };
  const rule = parseRule(fromForm.rule);
  if (!rule.ok) return { ruleJson: null, problems: rule.problems.map((p) => ({ field: `rule ${p.path}`, message: p.message })) };
  const source = await deps.sources.forPlatform(c.platformId);
  const graded = source ? await source.getGradedStructure(c.courseId).catch(() => null) : null;
  const badgeIds = (await deps.badges.listForCourse(c.platformId, c.courseId)).map((b) => b.id);
  if (!graded) return { ruleJson: rule.rule, problems: [] };
  const problems = validateRuleAgainstCourse(rule.rule, graded.structure, { badgeIds, gradeItemIds: graded.gradeItems.map((g) => g.id) });
  return { ruleJson: rule.rule, problems: problems.map((p) => ({ field: `rule ${p.path}`, message: p.message })) };
}

/** Form → definition with every problem named (rule JSON, rule against the course, achievement fields). */
export async function readDefinition(
  deps: FormDeps,
  req: Request,
  res: Response,
): Promise<{ ok: true; definition: BadgeDefinition } | { ok: false; problems: DefinitionProblem[] }> {
  const { ruleJson, problems } = await readRule(deps, contextOf(res), req.body);
  // the rule's own problems are listed above; a placeholder keeps the definition parser from repeating "rule is required"
  const parsed = parseBadgeDefinition(definitionInputFromForm(req.body, ruleJson ?? { type: 'courseCompleted' }));
  if (!parsed.ok) problems.push(...parsed.problems);
  if (problems.length || !parsed.ok) return { ok: false, problems };
  return { ok: true, definition: { ...parsed.definition, rule: ruleJson } };
}

/** The submitted form as it is shown again with its problems. */
export const formValuesOf = (body: Record<string, unknown>) => ({
  ...Object.fromEntries(
    Object.entries(body)
      .filter(([k]) => k !== 's')
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]),
  ),
  excludedGradeItems: excludedFromForm(body).join(','),
});
