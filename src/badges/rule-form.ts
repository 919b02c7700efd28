/**
 * The teacher's rule builder form → rule JSON (parsed and checked afterwards by src/rules).
 * The form offers what teachers ask for most: course completed, chosen activities or modules (sections)
 * completed, a minimum grade; combined as "all of these" or "at least N of these". Anything else can be
 * written as JSON in the advanced field, which then takes precedence.
 */
export interface RuleFormInput {
  courseCompleted?: unknown;
  activities?: unknown;
  passedOnly?: unknown;
  sections?: unknown;
  gradeItem?: unknown;
  gradePercent?: unknown;
  combine?: unknown;
  atLeastCount?: unknown;
  advancedRule?: unknown;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).map(String).filter(Boolean);

export function ruleFromForm(form: RuleFormInput): { ok: true; rule: unknown } | { ok: false; message: string } {
  const advanced = typeof form.advancedRule === 'string' ? form.advancedRule.trim() : '';
  if (advanced) {
    try {
      return { ok: true, rule: JSON.parse(advanced) };
    } catch {
      return { ok: false, message: 'The advanced rule is not valid JSON.' };
    }
  }
  const states = form.passedOnly ? ['complete-pass'] : undefined;
  const rules: unknown[] = [];
  if (form.courseCompleted) rules.push({ type: 'courseCompleted' });
  for (const activityId of list(form.activities))
    rules.push(states ? { type: 'activityCompleted', activityId, states } : { type: 'activityCompleted', activityId });
  for (const sectionId of list(form.sections)) rules.push({ type: 'sectionCompleted', sectionId });
  const gradeItem = typeof form.gradeItem === 'string' ? form.gradeItem : '';
  if (gradeItem) {
    const percent = Number(form.gradePercent);
    const target = gradeItem === 'course' ? { courseTotal: true } : { gradeItemId: gradeItem };
    rules.push({ type: 'grade', target, atLeast: form.gradePercent === undefined || form.gradePercent === '' ? { passGrade: true } : { percent } });
  }
  if (rules.length === 0) return { ok: false, message: 'Choose at least one requirement.' };
  if (rules.length === 1) return { ok: true, rule: rules[0] };
  if (form.combine === 'atLeast') return { ok: true, rule: { type: 'atLeast', count: Number(form.atLeastCount), rules } };
  return { ok: true, rule: { type: 'all', rules } };
}
