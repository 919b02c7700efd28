import type { RequestHandler } from 'express';
import { formFromDefinition } from '../../../badges/definition-form';
import { contextOf } from '../../middleware/session';
import { formValuesOf, readDefinition, showBadgeForm } from './badge-form';
import { findBadge, recordTeacherAction, redirectToTeacherPage, type TeacherDeps } from './deps';

/** An empty badge editor. */
export const newBadgeForm =
  (deps: TeacherDeps): RequestHandler =>
  async (req, res) =>
    showBadgeForm(deps, req, res, null, formFromDefinition(null));

/** Defines a new badge of the course: the badge and its first version, audited. */
export const defineBadge =
  (deps: TeacherDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const read = await readDefinition(deps, req, res);
    if (!read.ok) return showBadgeForm(deps, req, res, null, formValuesOf(req.body), read.problems, 400);
    const badge = await deps.badges.create({ platformId: c.platformId, courseId: c.courseId, name: read.definition.name.en, createdBy: c.userId });
    const version = await deps.badges.saveVersion(badge, read.definition, c.userId);
    await recordTeacherAction(deps, c, { action: 'badge.create', subject: { kind: 'badge', id: badge.id }, details: { version: version.version } });
    redirectToTeacherPage(res);
  };

/** The editor filled with the badge's current version (or just its name, for a badge created while adding the tool). */
export const editBadgeForm =
  (deps: TeacherDeps): RequestHandler =>
  async (req, res) => {
    const badge = await findBadge(deps, res, String(req.params.id));
    const current = badge.currentVersion ? await deps.badges.getVersion(badge.id, badge.currentVersion) : null;
    const values = formFromDefinition(current?.definition ?? null);
    if (!current) values.nameEn = badge.name;
    await showBadgeForm(deps, req, res, badge, values);
  };

/** Saves an edited definition as the badge's next version, audited; earlier versions and their awards stay. */
export const updateBadge =
  (deps: TeacherDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const badge = await findBadge(deps, res, String(req.params.id));
    const read = await readDefinition(deps, req, res);
    if (!read.ok) return showBadgeForm(deps, req, res, badge, formValuesOf(req.body), read.problems, 400);
    const version = await deps.badges.saveVersion(badge, read.definition, c.userId);
    await recordTeacherAction(deps, c, { action: 'badge.update', subject: { kind: 'badge', id: badge.id }, details: { version: version.version } });
    redirectToTeacherPage(res);
  };
