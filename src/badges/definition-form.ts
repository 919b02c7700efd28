import type { BadgeDefinition } from './definition';

/**
 * The teacher's badge form (flat HTML fields) ↔ the definition input parseBadgeDefinition reads.
 * Learning outcomes are one per line: "English | Latvian | skill URL (e.g. ESCO)".
 */
export type FormValues = Record<string, string>;

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const localized = (en: unknown, lv: unknown) => ({ en: str(en), lv: str(lv) });

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' && v ? v.split(',') : [])
    .map(String)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Grade items the teacher unticked: those the form showed (`assessShown`) but did not send back (`assessItem`).
 * Without the list (Moodle unreachable when the form was drawn) the earlier choice comes back in a hidden field.
 */
export function excludedFromForm(form: Record<string, unknown>): string[] {
  if (form.assessShown === undefined) return list(form.excludedGradeItems);
  const ticked = new Set(list(form.assessItem));
  return [...new Set(list(form.assessShown))].filter((id) => !ticked.has(id));
}

export function definitionInputFromForm(form: Record<string, unknown>, rule: unknown): Record<string, unknown> {
  const outcomes = str(form.outcomes)
    .split(/\r?\n/)
    .map((line) => line.split('|').map((p) => p.trim()))
    .filter((parts) => parts[0])
    .map(([en, lv, url]) => ({
      text: { en, lv: lv ?? '' },
      ...(url ? { targetUrl: url, framework: /esco/i.test(url) ? 'ESCO' : 'external' } : {}),
    }));
  return {
    achievementType: str(form.achievementType),
    name: localized(form.nameEn, form.nameLv),
    description: localized(form.descriptionEn, form.descriptionLv),
    criteriaNarrative: localized(form.criteriaEn, form.criteriaLv),
    learningOutcomes: outcomes,
    eqfLevel: str(form.eqfLevel),
    nationalFrameworkLevel: { framework: str(form.nflFramework) || 'LKI', level: str(form.nflLevel) },
    ectsCredits: str(form.ectsCredits),
    workloadHours: str(form.workloadHours),
    assessmentType: localized(form.assessmentEn, form.assessmentLv),
    participationForm: str(form.participationForm),
    qualityAssurance: localized(form.qaEn, form.qaLv),
    inLanguage: str(form.inLanguage)
      .split(/[,\s]+/)
      .filter(Boolean),
    fieldOfStudy: str(form.fieldOfStudy),
    imageTemplate: str(form.imageTemplate),
    validForMonths: str(form.validForMonths),
    excludedGradeItems: excludedFromForm(form),
    rule,
  };
}

/** Every field of the form, so a new form shows empty boxes (never "undefined"). */
const FORM_FIELDS = [
  'achievementType',
  'nameEn',
  'nameLv',
  'descriptionEn',
  'descriptionLv',
  'criteriaEn',
  'criteriaLv',
  'outcomes',
  'eqfLevel',
  'nflFramework',
  'nflLevel',
  'ectsCredits',
  'workloadHours',
  'assessmentEn',
  'assessmentLv',
  'participationForm',
  'qaEn',
  'qaLv',
  'inLanguage',
  'fieldOfStudy',
  'imageTemplate',
  'validForMonths',
  'advancedRule',
  'excludedGradeItems',
] as const;

/** Submitted values with every field present (what the browser did not send is empty). */
export const completeForm = (values: FormValues): FormValues => ({ ...Object.fromEntries(FORM_FIELDS.map((f) => [f, ''])), ...values });

export function formFromDefinition(d: BadgeDefinition | null): FormValues {
  if (!d)
    return {
      ...Object.fromEntries(FORM_FIELDS.map((f) => [f, ''])),
      achievementType: 'MicroCredential',
      participationForm: 'online',
      inLanguage: 'lv, en',
      imageTemplate: 'medal',
      nflFramework: 'LKI',
    };
  return {
    achievementType: d.achievementType,
    nameEn: d.name.en,
    nameLv: d.name.lv ?? '',
    descriptionEn: d.description.en,
    descriptionLv: d.description.lv ?? '',
    criteriaEn: d.criteriaNarrative.en,
    criteriaLv: d.criteriaNarrative.lv ?? '',
    outcomes: d.learningOutcomes.map((o) => [o.text.en, o.text.lv ?? '', o.targetUrl ?? ''].join(' | ').replace(/( \| )+$/, '')).join('\n'),
    eqfLevel: d.eqfLevel?.toString() ?? '',
    nflFramework: d.nationalFrameworkLevel?.framework ?? 'LKI',
    nflLevel: d.nationalFrameworkLevel?.level.toString() ?? '',
    ectsCredits: d.ectsCredits?.toString() ?? '',
    workloadHours: d.workloadHours?.toString() ?? '',
    assessmentEn: d.assessmentType.en,
    assessmentLv: d.assessmentType.lv ?? '',
    participationForm: d.participationForm,
    qaEn: d.qualityAssurance.en,
    qaLv: d.qualityAssurance.lv ?? '',
    inLanguage: d.inLanguage.join(', '),
    fieldOfStudy: d.fieldOfStudy ?? '',
    imageTemplate: d.imageTemplate,
    validForMonths: d.validForMonths?.toString() ?? '',
    advancedRule: JSON.stringify(d.rule, null, 2),
    excludedGradeItems: (d.excludedGradeItems ?? []).join(','),
  };
}
