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

/** Readers of the definition's simple fields; each names its problems in `problems`, in the order it is called. */
function fieldReader(o: Input, problems: DefinitionProblem[]) {
  return {
    localized(field: string, required: boolean, max = 2000): Localized {
      const v = (o[field] ?? {}) as Input;
      const en = text(v.en);
      const lv = text(v.lv);
      if (required && !en) problems.push({ field: `${field}.en`, message: 'is required (English)' });
      if (en.length > max) problems.push({ field: `${field}.en`, message: `must be at most ${max} characters` });
      if (lv.length > max) problems.push({ field: `${field}.lv`, message: `must be at most ${max} characters` });
      return lv ? { en, lv } : { en };
    },
    optionalNumber(field: string, min: number, max: number, integer = false): number | undefined {
      const raw = o[field];
      if (raw === undefined || raw === null || raw === '') return undefined;
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
        problems.push({ field, message: `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}` });
        return undefined;
      }
      return n;
    },
    /** One of `choices`, `fallback` when empty. */
    choice<T extends string>(field: string, choices: readonly T[], fallback: T): T {
      const value = text(o[field]) || fallback;
      if (!choices.includes(value as T)) problems.push({ field, message: `must be one of ${choices.join(', ')}` });
      return value as T;
    },
  };
}

function readLearningOutcomes(raw: unknown, problems: DefinitionProblem[]): LearningOutcome[] {
  if (!Array.isArray(raw)) {
    problems.push({ field: 'learningOutcomes', message: 'must be a list' });
    return [];
  }
  if (raw.length > 50) problems.push({ field: 'learningOutcomes', message: 'must have at most 50 outcomes' });
  return raw.slice(0, 50).map((item, i) => {
    const r = (item ?? {}) as Input;
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
    return outcome;
  });
}

/** The national framework level (LKI unless another framework is named), when a level is given. */
function readNationalFrameworkLevel(nfl: Input | undefined, problems: DefinitionProblem[]): BadgeDefinition['nationalFrameworkLevel'] {
  if (!nfl || nfl.level === undefined || nfl.level === '') return undefined;
  const level = Number(nfl.level);
  const framework = text(nfl.framework) || 'LKI';
  if (Number.isInteger(level) && level >= 1 && level <= 8) return { framework, level };
  problems.push({ field: 'nationalFrameworkLevel.level', message: 'must be a whole number from 1 to 8' });
  return undefined;
}

function readInLanguage(raw: unknown, problems: DefinitionProblem[]): string[] {
  const inLanguage = (Array.isArray(raw) ? raw : [raw]).map(text).filter(Boolean);
  if (!inLanguage.length || inLanguage.some((l) => !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(l)))
    problems.push({ field: 'inLanguage', message: 'must list language codes such as lv or en' });
  return inLanguage;
}

/** Grade item ids left out of the credential, without repeats; undefined when none. */
function readExcludedGradeItems(excluded: unknown, problems: DefinitionProblem[]): string[] | undefined {
  if (!Array.isArray(excluded) || excluded.length > 500 || excluded.some((id) => typeof id !== 'string' || !/^[0-9A-Za-z_-]{1,40}$/.test(id))) {
    problems.push({ field: 'excludedGradeItems', message: 'must list grade item ids (at most 500)' });
    return undefined;
  }
  return excluded.length ? [...new Set(excluded as string[])] : undefined;
}

export function parseBadgeDefinition(input: unknown): { ok: true; definition: BadgeDefinition } | { ok: false; problems: DefinitionProblem[] } {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: false, problems: [{ field: '$', message: 'must be an object' }] };
  const o = input as Input;
  const problems: DefinitionProblem[] = [];
  const read = fieldReader(o, problems);

  const achievementType = read.choice('achievementType', ACHIEVEMENT_TYPES, 'MicroCredential');
  const participationForm = read.choice('participationForm', PARTICIPATION_FORMS, 'online');
  const learningOutcomes = readLearningOutcomes(o.learningOutcomes ?? [], problems);
  const nationalFrameworkLevel = readNationalFrameworkLevel(o.nationalFrameworkLevel as Input | undefined, problems);
  const inLanguage = readInLanguage(o.inLanguage ?? ['en'], problems);
  const imageTemplate = text(o.imageTemplate) || 'medal';
  if (!/^[a-z0-9-]{1,40}$/.test(imageTemplate)) problems.push({ field: 'imageTemplate', message: 'must name a badge template' });

  const definition: BadgeDefinition = {
    achievementType,
    name: read.localized('name', true, 200),
    description: read.localized('description', true),
    criteriaNarrative: read.localized('criteriaNarrative', true),
    learningOutcomes,
    assessmentType: read.localized('assessmentType', true, 500),
    participationForm,
    qualityAssurance: read.localized('qualityAssurance', true, 1000),
    inLanguage,
    imageTemplate,
    rule: o.rule,
  };
  const eqf = read.optionalNumber('eqfLevel', 1, 8, true);
  if (eqf !== undefined) definition.eqfLevel = eqf;
  if (nationalFrameworkLevel) definition.nationalFrameworkLevel = nationalFrameworkLevel;
  const ects = read.optionalNumber('ectsCredits', 0, 300);
  if (ects !== undefined) definition.ectsCredits = ects;
  const hours = read.optionalNumber('workloadHours', 0, 10_000);
  if (hours !== undefined) definition.workloadHours = hours;
  const months = read.optionalNumber('validForMonths', 1, 600, true);
  if (months !== undefined) definition.validForMonths = months;
  const excluded = readExcludedGradeItems(o.excludedGradeItems ?? [], problems);
  if (excluded) definition.excludedGradeItems = excluded;
  if (text(o.fieldOfStudy)) definition.fieldOfStudy = text(o.fieldOfStudy).slice(0, 200);
  if (o.rule === undefined || o.rule === null) problems.push({ field: 'rule', message: 'is required: choose what earns the badge' });

  return problems.length ? { ok: false, problems } : { ok: true, definition };
}
