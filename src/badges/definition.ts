/**
 * What a teacher defines for a badge (one version): the achievement's descriptive fields, including every
 * EU micro-credential element a teacher owns, and the rule that earns it. Parsing is pure and reports every
 * problem with its field, so a malformed definition gets a clear answer and never a 500.
 */
export const ACHIEVEMENT_TYPES = ['MicroCredential', 'Badge', 'Certificate'] as const;
export const PARTICIPATION_FORMS = ['online', 'onsite', 'blended'] as const;

export interface Localized {
  en: string;
  lv?: string;
}

export interface LearningOutcome {
  text: Localized;
  /** Framework of the aligned skill, e.g. ESCO. */
  framework?: string;
  targetUrl?: string;
  targetCode?: string;
}

export interface BadgeDefinition {
  achievementType: (typeof ACHIEVEMENT_TYPES)[number];
  name: Localized;
  description: Localized;
  criteriaNarrative: Localized;
  learningOutcomes: LearningOutcome[];
  eqfLevel?: number;
  nationalFrameworkLevel?: { framework: string; level: number };
  ectsCredits?: number;
  workloadHours?: number;
  assessmentType: Localized;
  participationForm: (typeof PARTICIPATION_FORMS)[number];
  qualityAssurance: Localized;
  inLanguage: string[];
  fieldOfStudy?: string;
  imageTemplate: string;
  validForMonths?: number;
  /** Grade items (ids) the teacher left out of the credential's results; every other item in the rule's scope is stated. */
  excludedGradeItems?: string[];
  /** The rule as stored JSON (parsed by src/rules). */
  rule: unknown;
}

export interface DefinitionProblem {
  field: string;
  message: string;
}

type Input = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export function parseBadgeDefinition(input: unknown): { ok: true; definition: BadgeDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: false, problems: [{ field: '$', message: 'must be an object' }] };
  const o = input as Input;

  const localized = (field: string, required: boolean, max = 2000): Localized => {
    const v = (o[field] ?? {}) as Input;
    const en = text(v.en);
    const lv = text(v.lv);
    if (required && !en) problems.push({ field: `${field}.en`, message: 'is required (English)' });
    if (en.length > max) problems.push({ field: `${field}.en`, message: `must be at most ${max} characters` });
    if (lv.length > max) problems.push({ field: `${field}.lv`, message: `must be at most ${max} characters` });
    return lv ? { en, lv } : { en };
  };
  const optionalNumber = (field: string, min: number, max: number, integer = false): number | undefined => {
    const raw = o[field];
    if (raw === undefined || raw === null || raw === '') return undefined;
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      problems.push({ field, message: `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}` });
      return undefined;
    }
    return n;
  };

  const achievementType = text(o.achievementType) || 'MicroCredential';
  if (!ACHIEVEMENT_TYPES.includes(achievementType as never))
    problems.push({ field: 'achievementType', message: `must be one of ${ACHIEVEMENT_TYPES.join(', ')}` });
  const participationForm = text(o.participationForm) || 'online';
  if (!PARTICIPATION_FORMS.includes(participationForm as never))
    problems.push({ field: 'participationForm', message: `must be one of ${PARTICIPATION_FORMS.join(', ')}` });

  const outcomesRaw = o.learningOutcomes ?? [];
  const learningOutcomes: LearningOutcome[] = [];
  if (!Array.isArray(outcomesRaw)) problems.push({ field: 'learningOutcomes', message: 'must be a list' });
  else {
    if (outcomesRaw.length > 50) problems.push({ field: 'learningOutcomes', message: 'must have at most 50 outcomes' });
    outcomesRaw.slice(0, 50).forEach((raw, i) => {
      const r = (raw ?? {}) as Input;
      const t = (r.text ?? {}) as Input;
      const en = text(t.en);
      if (!en) problems.push({ field: `learningOutcomes[${i}].text.en`, message: 'is required (English)' });
      const outcome: LearningOutcome = { text: text(t.lv) ? { en, lv: text(t.lv) } : { en } };
      if (text(r.framework)) outcome.framework = text(r.framework);
      if (text(r.targetCode)) outcome.targetCode = text(r.targetCode);
      if (text(r.targetUrl)) {
        if (!/^https?:\/\/\S+$/.test(text(r.targetUrl))) problems.push({ field: `learningOutcomes[${i}].targetUrl`, message: 'must be an http(s) URL' });
        else outcome.targetUrl = text(r.targetUrl);
      }
      learningOutcomes.push(outcome);
    });
  }

  let nationalFrameworkLevel: BadgeDefinition['nationalFrameworkLevel'];
  const nfl = o.nationalFrameworkLevel as Input | undefined;
  if (nfl && nfl.level !== undefined && nfl.level !== '') {
    const level = Number(nfl.level);
    const framework = text(nfl.framework) || 'LKI';
    if (!Number.isInteger(level) || level < 1 || level > 8)
      problems.push({ field: 'nationalFrameworkLevel.level', message: 'must be a whole number from 1 to 8' });
    else nationalFrameworkLevel = { framework, level };
  }

  const inLanguageRaw = o.inLanguage ?? ['en'];
  const inLanguage = (Array.isArray(inLanguageRaw) ? inLanguageRaw : [inLanguageRaw]).map(text).filter(Boolean);
  if (!inLanguage.length || inLanguage.some((l) => !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(l)))
    problems.push({ field: 'inLanguage', message: 'must list language codes such as lv or en' });

  const imageTemplate = text(o.imageTemplate) || 'medal';
  if (!/^[a-z0-9-]{1,40}$/.test(imageTemplate)) problems.push({ field: 'imageTemplate', message: 'must name a badge template' });

  const definition: BadgeDefinition = {
    achievementType: achievementType as BadgeDefinition['achievementType'],
    name: localized('name', true, 200),
    description: localized('description', true),
    criteriaNarrative: localized('criteriaNarrative', true),
    learningOutcomes,
    assessmentType: localized('assessmentType', true, 500),
    participationForm: participationForm as BadgeDefinition['participationForm'],
    qualityAssurance: localized('qualityAssurance', true, 1000),
    inLanguage,
    imageTemplate,
    rule: o.rule,
  };
  const eqf = optionalNumber('eqfLevel', 1, 8, true);
  if (eqf !== undefined) definition.eqfLevel = eqf;
  if (nationalFrameworkLevel) definition.nationalFrameworkLevel = nationalFrameworkLevel;
  const ects = optionalNumber('ectsCredits', 0, 300);
  if (ects !== undefined) definition.ectsCredits = ects;
  const hours = optionalNumber('workloadHours', 0, 10_000);
  if (hours !== undefined) definition.workloadHours = hours;
  const months = optionalNumber('validForMonths', 1, 600, true);
  if (months !== undefined) definition.validForMonths = months;
  const excluded = o.excludedGradeItems ?? [];
  if (!Array.isArray(excluded) || excluded.length > 500 || excluded.some((id) => typeof id !== 'string' || !/^[0-9A-Za-z_-]{1,40}$/.test(id)))
    problems.push({ field: 'excludedGradeItems', message: 'must list grade item ids (at most 500)' });
  else if (excluded.length) definition.excludedGradeItems = [...new Set(excluded as string[])];
  if (text(o.fieldOfStudy)) definition.fieldOfStudy = text(o.fieldOfStudy).slice(0, 200);
  if (o.rule === undefined || o.rule === null) problems.push({ field: 'rule', message: 'is required: choose what earns the badge' });

  return problems.length ? { ok: false, problems } : { ok: true, definition };
}
