/**
 * Lookup tables over one LearnerSnapshot, built once per evaluate() call so each criterion is a Map hit
 * rather than a scan (a rule over 50 activities would otherwise be 50 × 50 comparisons per learner).
 * Each table is built on first use: a rule about one badge should not pay for indexing fifty grades.
 * When the snapshot lists an id twice, the first entry wins, so the result does not depend on Map internals.
 * A class rather than closures: evaluate() runs per learner, and per-call closures showed up in profiles.
 */
import type { ActivityCompletion, CourseActivity, CourseSection, GradeItemResult, LearnerSnapshot } from './snapshot';

export class SnapshotIndex {
  private activities: Map<string, CourseActivity> | undefined;
  private completions: Map<string, ActivityCompletion> | undefined;
  private sections: Map<string, CourseSection> | undefined;
  private grades: Map<string, GradeItemResult> | undefined;
  private total: GradeItemResult | null | undefined;
  private badges: Set<string> | undefined;

  constructor(readonly snapshot: LearnerSnapshot) {}

  activity(id: string): CourseActivity | undefined {
    if (this.activities === undefined) {
      this.activities = new Map();
      for (const a of this.snapshot.structure.activities) if (!this.activities.has(a.id)) this.activities.set(a.id, a);
    }
    return this.activities.get(id);
  }

  completion(activityId: string): ActivityCompletion | undefined {
    if (this.completions === undefined) {
      this.completions = new Map();
      for (const c of this.snapshot.activities) if (!this.completions.has(c.activityId)) this.completions.set(c.activityId, c);
    }
    return this.completions.get(activityId);
  }

  section(id: string): CourseSection | undefined {
    if (this.sections === undefined) {
      this.sections = new Map();
      for (const s of this.snapshot.structure.sections) if (!this.sections.has(s.id)) this.sections.set(s.id, s);
    }
    return this.sections.get(id);
  }

  gradeItem(id: string): GradeItemResult | undefined {
    if (this.grades === undefined) {
      this.grades = new Map();
      for (const g of this.snapshot.grades) if (!this.grades.has(g.gradeItemId)) this.grades.set(g.gradeItemId, g);
    }
    return this.grades.get(id);
  }

  courseTotal(): GradeItemResult | undefined {
    if (this.total === undefined) this.total = this.snapshot.grades.find((g) => g.isCourseTotal) ?? null;
    return this.total ?? undefined;
  }

  hasBadge(id: string): boolean {
    this.badges ??= new Set(this.snapshot.earnedBadgeIds);
    return this.badges.has(id);
  }
}
