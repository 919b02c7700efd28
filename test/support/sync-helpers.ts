/**
 * Helpers for the "teachers define badges, the tool reads Moodle and decides" tests (test/integration/sync).
 * Purely additive: nothing here changes how the tool or the fakes behave.
 */
import assert from 'node:assert/strict';
import { parseBadgeDefinition, type BadgeDefinition } from '../../src/badges/definition';
import type { Badge } from '../../src/store/badges';
import { badgeDefinitionInput } from './builders';
import { startFakeMoodleWs, type FakeMoodleWs } from './fake-moodle-ws';
import { launchAs } from './launch';
import { useRegisteredTool } from './registered-tool';
import type { RunningTool } from './tool';

/** Course 2 of the capture (launch context.id "2"). */
export const COURSE_ID = '2';

/** Ids from test/fixtures/moodle-ws (core_course_get_contents, core_grades_get_gradeitems). */
export const FIXTURE = {
  activities: { essay1: '1', finalProject: '2', badgeTool: '3', badgeToolDynamic: '4', badgeToolCrossSite: '5' },
  sections: { general: '1', section1: '2', section2: '3' },
  gradeItems: { essay1: '2', finalProject: '3' },
  learners: { completed: '4', failed: '5', inactive: '6' },
} as const;

/** "Essay passed and Final Project completed". */
export const ESSAY_PASSED_AND_FINAL_PROJECT = {
  type: 'all',
  rules: [
    { type: 'activityCompleted', activityId: FIXTURE.activities.essay1, states: ['complete-pass'] },
    { type: 'activityCompleted', activityId: FIXTURE.activities.finalProject },
  ],
};

/** A clock the test can move: real time plus an offset, so launches signed by the simulator stay valid. */
export class TestClock {
  offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  advance(ms: number) {
    this.offsetMs += ms;
  }
  reset() {
    this.offsetMs = 0;
  }
}

export async function platformIdOf(tool: RunningTool): Promise<string> {
  const platforms = await tool.registry.list();
  assert.equal(platforms.length, 1, 'the suite registers exactly one platform');
  return platforms[0]!.id;
}

/** Saves the fake Moodle's web-service connection for the (only) registered platform, as the registrar page would. */
export async function connectFakeMoodle(tool: RunningTool, fake: FakeMoodleWs): Promise<string> {
  const platformId = await platformIdOf(tool);
  await tool.wsConnections.save({ platformId, siteUrl: fake.siteUrl, token: fake.token, siteName: 'Fake Moodle', checkedAt: new Date() });
  return platformId;
}

/** A complete, valid definition (the builders' micro-credential) with the given rule and English name. */
export function definitionWith(rule: unknown, name = 'Academic writing', nameLv = `${name} (lv)`): BadgeDefinition {
  const input = badgeDefinitionInput();
  const parsed = parseBadgeDefinition({ ...input, name: { en: name, lv: nameLv }, rule });
  if (!parsed.ok) throw new Error(`test definition does not parse: ${JSON.stringify(parsed.problems)}`);
  return parsed.definition;
}

/** Creates a badge with version 1 straight through the repository (the form is tested on its own). */
export async function createBadge(
  tool: RunningTool,
  platformId: string,
  rule: unknown,
  name = 'Academic writing',
  courseId = COURSE_ID,
  nameLv?: string,
): Promise<Badge> {
  const badges = tool.sync.badges;
  const badge = await badges.create({ platformId, courseId, name, createdBy: '3' });
  const version = await badges.saveVersion(badge, definitionWith(rule, name, nameLv), '3');
  return { ...badge, currentVersion: version.version };
}

/** The teacher form's fields for a valid badge (without a rule: add rule fields or advancedRule). */
export function badgeFormFields(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    achievementType: 'MicroCredential',
    nameEn: 'Academic writing',
    nameLv: 'Akadēmiskā rakstīšana',
    descriptionEn: 'Writes and revises academic texts.',
    descriptionLv: 'Raksta un pilnveido akadēmiskus tekstus.',
    criteriaEn: 'Pass Essay 1 and complete the Final Project.',
    criteriaLv: 'Nokārtot Eseju 1 un pabeigt noslēguma projektu.',
    outcomes: 'Structure an argument | Strukturēt argumentāciju | http://data.europa.eu/esco/skill/abc',
    eqfLevel: '5',
    nflFramework: 'LKI',
    nflLevel: '5',
    ectsCredits: '6',
    workloadHours: '160',
    assessmentEn: 'Graded written assignments',
    assessmentLv: 'Vērtēti rakstu darbi',
    participationForm: 'online',
    qaEn: 'Internal QA of the university',
    qaLv: 'Augstskolas iekšējā kvalitātes nodrošināšana',
    inLanguage: 'lv, en',
    fieldOfStudy: '0231 Language acquisition',
    imageTemplate: 'medal',
    validForMonths: '60',
    ...overrides,
  };
}

/** The visible text of an HTML page: tags removed, the entities Eta escapes decoded, whitespace collapsed. */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Polls `read` until `done` says so or `ms` pass; returns the last value read. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000, every = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, every));
  }
}

/** A form body as a browser sends it: repeated keys for multiple values (checkboxes). */
export function formBody(fields: Record<string, string | string[] | undefined>): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  }
  return body.toString();
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s>/])`, 'i').exec(tag);
  return m ? unescapeHtml(m[1] ?? '') : null;
};

/**
 * What a browser would submit for the (first) form of a page, untouched: text inputs and hidden fields with their
 * value, textareas with their content, selects with their selected (or first) option, checked boxes only.
 * Number inputs whose value is not a number are sent empty, as browsers sanitise them.
 */
export function browserFormFields(html: string): Array<[string, string]> {
  const form = /<form[\s\S]*?<\/form>/i.exec(html)?.[0] ?? '';
  const out: Array<[string, string]> = [];
  const re = /<input\b[^>]*>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>|<select\b[^>]*>([\s\S]*?)<\/select>/gi;
  for (let m = re.exec(form); m; m = re.exec(form)) {
    const tag = m[0];
    const name = attr(tag, 'name');
    if (!name || attr(tag, 'disabled') !== null) continue;
    if (/^<input/i.test(tag)) {
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      if (type === 'checkbox' || type === 'radio') {
        if (attr(tag, 'checked') !== null) out.push([name, attr(tag, 'value') ?? 'on']);
        continue;
      }
      let value = attr(tag, 'value') ?? '';
      if (type === 'number' && value !== '' && !Number.isFinite(Number(value))) value = '';
      out.push([name, value]);
    } else if (/^<textarea/i.test(tag)) {
      out.push([name, unescapeHtml((m[1] ?? '').replace(/^\r?\n/, ''))]);
    } else {
      const options = [...(m[2] ?? '').matchAll(/<option\b[^>]*>/gi)].map((o) => o[0]);
      const chosen = options.find((o) => attr(o, 'selected') !== null) ?? options[0];
      if (chosen) out.push([name, attr(chosen, 'value') ?? '']);
    }
  }
  return out;
}

/** browserFormFields with some fields replaced (or added) and some checkboxes ticked, as a URL-encoded body. */
export function fillBrowserForm(html: string, set: Record<string, string>, tick: Array<[string, string]> = []): string {
  const body = new URLSearchParams();
  const seen = new Set<string>();
  for (const [k, v] of browserFormFields(html)) {
    if (k in set) {
      if (!seen.has(k)) body.append(k, set[k]!);
      seen.add(k);
    } else body.append(k, v);
  }
  for (const [k, v] of Object.entries(set)) if (!seen.has(k)) body.append(k, v);
  for (const [k, v] of tick) body.append(k, v);
  return body.toString();
}

/**
 * A registered tool connected to a fake Moodle web service, with a teacher's session: the set-up of the suites
 * that work through the teacher's pages. Call at describe level.
 */
export function useConnectedTeacher() {
  const ctx = useRegisteredTool();
  const state = {} as { ctx: typeof ctx; fake: FakeMoodleWs; platformId: string; teacher: string };
  state.ctx = ctx;
  before(async () => {
    state.fake = await startFakeMoodleWs();
    state.platformId = await connectFakeMoodle(ctx.tool, state.fake);
    state.teacher = (await launchAs(ctx.tool, ctx.sim, 'teacher')).token;
  });
  after(async () => {
    await state.fake?.close();
  });
  return state;
}
