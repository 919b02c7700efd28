import type { RequestHandler } from 'express';
import { AppError } from '../../../errors';
import { earnedDecisionFields, earnedWithout } from '../../../sync/synthetic-decision';
import { reasonFrom } from '../../form-values';
import { contextOf } from '../../middleware/session';
import { findBadge, recordTeacherAction, redirectToTeacherPage, type TeacherDeps } from './deps';

/** A manual award with its reason: recorded as the decision's evidence and in the audit log. */
export const awardManually =
  (deps: TeacherDeps): RequestHandler =>
  async (req, res) => {
    const c = contextOf(res);
    const badge = await findBadge(deps, res, String(req.params.id));
    const userId = typeof req.body.userId === 'string' ? req.body.userId.trim() : '';
    const reason = reasonFrom(req.body);
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
      ...earnedDecisionFields(decision, now),
      manual: { by: c.userName ?? c.userId, reason },
    });
    await recordTeacherAction(deps, c, {
      action: 'badge.award-manual',
      subject: { kind: 'badge', id: badge.id },
      reason,
      details: { userId, version: badge.currentVersion },
    });
    redirectToTeacherPage(res, `/app/teacher/badges/${badge.id}`);
  };
