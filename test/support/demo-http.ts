/**
 * The demo's set-up and journeys over plain HTTP (fetch), as a browser would do them: LTI launches through the
 * simulated Moodle's real login and auth endpoints, then the tool's forms with the session token in `s`.
 * Used by `npm run demo` (scripts/demo.ts) and by the browser journeys for what they do not click themselves.
 */
import type { DemoLocale, DemoMoodle } from './demo-moodle';

export const LATVIAN_UNIVERSITY = {
  nameEn: 'University of Latvia',
  nameLv: 'Latvijas Universitāte',
  url: 'https://www.lu.lv',
  email: 'info@lu.lv',
  addressCountry: 'Latvia',
  addressCountryCode: 'LV',
  addressLocality: 'Rīga',
  streetAddress: 'Raiņa bulvāris 19',
  postalCode: 'LV-1586',
  registrationNumber: '3341000218',
} as const;

export const DEMO_BADGE_NAME = { en: 'Essay passed and Final Project completed', lv: 'Eseja nokārtota un noslēguma projekts pabeigts' } as const;

/** Essay 1 (activity 1) completed with a pass and the Final Project (activity 2) completed: ids from the captured course 2. */
export const DEMO_BADGE_RULE = {
  type: 'all',
  rules: [
    { type: 'activityCompleted', activityId: '1', states: ['complete-pass'] },
    { type: 'activityCompleted', activityId: '2' },
  ],
};

/** The teacher's badge form (src/badges/definition-form.ts field names) for the demo badge. */
export function demoBadgeForm(): Record<string, string> {
  return {
    achievementType: 'MicroCredential',
    nameEn: DEMO_BADGE_NAME.en,
    nameLv: DEMO_BADGE_NAME.lv,
    descriptionEn: 'Wrote an academic essay with a passing grade and completed the course project.',
    descriptionLv: 'Uzrakstīja akadēmisku eseju ar sekmīgu vērtējumu un pabeidza kursa projektu.',
    criteriaEn: 'Pass Essay 1 and complete the Final Project.',
    criteriaLv: 'Nokārtot Eseju 1 un pabeigt noslēguma projektu.',
    outcomes: 'Structure an academic argument | Strukturēt akadēmisku argumentāciju | http://data.europa.eu/esco/skill/abc',
    eqfLevel: '5',
    nflFramework: 'LKI',
    nflLevel: '5',
    ectsCredits: '3',
    workloadHours: '80',
    assessmentEn: 'Graded essay and project',
    assessmentLv: 'Vērtēta eseja un projekts',
    participationForm: 'online',
    qaEn: 'Internal quality assurance of the University of Latvia',
    qaLv: 'Latvijas Universitātes iekšējā kvalitātes nodrošināšana',
    inLanguage: 'lv, en',
    fieldOfStudy: '0231 Language acquisition',
    imageTemplate: 'medal',
    validForMonths: '60',
    advancedRule: JSON.stringify(DEMO_BADGE_RULE),
  };
}

export class HttpError extends Error {
  constructor(
    what: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${what}: HTTP ${status}${body ? ` — ${summarise(body)}` : ''}`);
  }
}

/** A short, readable form of an answer body (an error page's text, a JSON error). */
export function summarise(body: string, max = 400): string {
  const text = body.trim().startsWith('<')
    ? body
        .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
        .replace(/&amp;/g, '&')
        .replace(/\s+/g, ' ')
        .trim()
    : body.trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const attrOf = (html: string, name: string) => {
  const m = new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(html);
  return m ? m[1]!.replace(/&amp;/g, '&') : null;
};

export interface HttpLaunch {
  /** The session token (the `s` of every link and form). */
  token: string;
  /** Where the launch sent the browser (/app?s=…), absolute. */
  location: string;
}

/**
 * An LTI 1.3 launch of Moodle user `userId` as the browser performs it: Moodle's login initiation POST to the
 * tool, the tool's redirect to Moodle's auth endpoint (the simulated Moodle signs the id_token), the auto-posted
 * form back to the tool's launch URL with the tool's state cookie.
 */
export async function launchOverHttp(toolUrl: string, moodle: DemoMoodle, userId: string, options: { locale?: DemoLocale } = {}): Promise<HttpLaunch> {
  moodle.setLocale(userId, options.locale ?? 'en');
  const login = await fetch(`${toolUrl}/lti/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(moodle.sim.loginForm(userId)).toString(),
    redirect: 'manual',
  });
  const authUrl = login.headers.get('location');
  if (login.status !== 302 || !authUrl) throw new HttpError(`login initiation for Moodle user ${userId}`, login.status, await login.text());
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const auth = await fetch(authUrl, { redirect: 'manual' });
  const authHtml = await auth.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(authHtml)?.[1];
  const idToken = attrOf(authHtml, 'id_token');
  const state = attrOf(authHtml, 'state');
  if (auth.status !== 200 || !action || !idToken || !state) throw new HttpError(`Moodle's auth endpoint for user ${userId}`, auth.status, authHtml);
  const launch = await fetch(action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
    body: new URLSearchParams({ id_token: idToken, state }).toString(),
    redirect: 'manual',
  });
  const location = launch.headers.get('location');
  if (launch.status !== 303 || !location) throw new HttpError(`launch of Moodle user ${userId}`, launch.status, await launch.text());
  const absolute = new URL(location, toolUrl);
  const token = absolute.searchParams.get('s');
  if (!token) throw new Error(`the launch of user ${userId} redirected to ${absolute} without a session token`);
  return { token, location: absolute.toString() };
}

/** A form POST with the session token; redirects are not followed (the caller checks where they go). */
export async function postForm(
  url: string,
  token: string,
  fields: Record<string, string>,
  accept = 'text/html',
): Promise<{ status: number; location: string | null; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: accept },
    body: new URLSearchParams({ s: token, ...fields }).toString(),
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

/** GET with the session token in the query; throws with the page's text unless the answer is 200. */
export async function getPage(url: string, token: string | null, what: string, accept = 'text/html'): Promise<string> {
  const u = new URL(url);
  if (token) u.searchParams.set('s', token);
  const res = await fetch(u, { headers: { Accept: accept } });
  const text = await res.text();
  if (res.status !== 200) throw new HttpError(what, res.status, text);
  return text;
}

/** The registrar's Moodle web-service form: Moodle address and token, tested by the tool before it is saved. */
export async function connectMoodleWs(toolUrl: string, registrarToken: string, siteUrl: string, wsToken: string): Promise<void> {
  const res = await postForm(`${toolUrl}/app/registrar/moodle`, registrarToken, { siteUrl, token: wsToken });
  if (res.status !== 200) throw new HttpError('saving the Moodle web-service connection (/app/registrar/moodle)', res.status, res.text);
}

/** The registrar's institution profile form. */
export async function saveInstitution(toolUrl: string, registrarToken: string, profile: Record<string, string> = { ...LATVIAN_UNIVERSITY }): Promise<void> {
  const res = await postForm(`${toolUrl}/app/registrar/institution`, registrarToken, profile);
  if (res.status !== 200) throw new HttpError('saving the institution profile (/app/registrar/institution)', res.status, res.text);
}

/** The teacher's new-badge form; returns the new badge's id (read from the teacher's page). */
export async function defineDemoBadge(toolUrl: string, teacherToken: string): Promise<string> {
  const res = await postForm(`${toolUrl}/app/teacher/badges`, teacherToken, demoBadgeForm());
  if (res.status !== 303) throw new HttpError('defining the badge (/app/teacher/badges)', res.status, res.text);
  const home = await getPage(`${toolUrl}/app/teacher`, teacherToken, 'the teacher page');
  const id = [...home.matchAll(/href="\/app\/teacher\/badges\/([a-f0-9]{24})\?s=[^"]*">([^<]*)<\/a>/g)].find((m) => m[2] === DEMO_BADGE_NAME.en)?.[1];
  if (!id) throw new Error(`the teacher page does not list "${DEMO_BADGE_NAME.en}" after defining it: ${summarise(home)}`);
  return id;
}
