/**
 * A fake Moodle 4.5 REST web-service endpoint (POST /webservice/rest/server.php) on 127.0.0.1, for tests and benches.
 *
 * Answers come from the real capture in test/fixtures/moodle-ws (see SOURCE.md): course 2, teacher1 = 3,
 * student1 = 4 (completed), student2 = 5 (failed Essay 1), student3 = 6 (inactive). It behaves like server.php:
 * form body, `wstoken` checked, errors as HTTP 200 + {"exception","errorcode","message"}, a function outside the
 * service → the captured `accessexception`, the teacher's course completion → the captured `usernotenroled`.
 * SYNTHESIZED (not in the capture, shapes taken from Moodle's code): `invalidtoken`, `invalidrecord` for unknown
 * users/courses, XML for a non-json format, and the teacher's activity completion and per-user grade report
 * (cloned from student3's, who has nothing graded).
 *
 * Knobs: slow(ms), failNext(n, status), down()/up(), respondWith(fn, body), allowFunctions([...]),
 * addLearners(n) (clones of the three students with new ids, e.g. for a 2,000-learner bench), a call log with
 * counts per wsfunction and the maximum number of requests in flight; costs(model) charges each call what a real
 * Moodle would (moodle-cost-model.ts: Moodle-seconds per call on a PHP-FPM pool, scaled down).
 */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import fixture from '../fixtures/moodle-ws/webservice-rest-completion-grades.json';
import { callCost, SimulatedMoodleServer, type MoodleCostModel } from './moodle-cost-model';

type Json = unknown;
interface FixtureCall {
  note: string;
  wsfunction: string;
  params: Record<string, unknown>;
  http_status: number;
  response: Json;
}

export type LearnerKind = 'completed' | 'failed' | 'inactive';

/** Captured user ids per kind. */
export const FIXTURE_USERS = { teacher: 3, completed: 4, failed: 5, inactive: 6 } as const;
export const FIXTURE_COURSE_ID = 2;
const TEMPLATE_ID: Record<LearnerKind, number> = { completed: 4, failed: 5, inactive: 6 };

const calls = (fixture as { calls: FixtureCall[] }).calls;
function captured(wsfunction: string, params: Record<string, unknown> = {}): Json {
  const hit = calls.find(
    (c) =>
      c.wsfunction === wsfunction && Object.entries(params).every(([k, v]) => c.params[k] === v) && Object.keys(c.params).length === Object.keys(params).length,
  );
  if (!hit) throw new Error(`fixture has no ${wsfunction} ${JSON.stringify(params)}`);
  return hit.response;
}
const clone = <T>(value: T): T => structuredClone(value);

export interface FakeCall {
  wsfunction: string;
  /** Flat form fields as received, without `wstoken`. */
  params: Record<string, string>;
  /** Whether the right token came with it. */
  tokenOk: boolean;
  at: number;
}

export interface FakeMoodleWsOptions {
  token?: string;
  /** Functions of the external service. Default: the captured service's nine functions. */
  allowedFunctions?: readonly string[];
  /** Charge each call what a real Moodle would (see moodle-cost-model.ts); none by default. */
  cost?: MoodleCostModel;
}

export interface FakeMoodleWs {
  readonly siteUrl: string;
  readonly endpoint: string;
  readonly token: string;
  readonly log: FakeCall[];
  /** Highest number of requests being handled at the same time since the last resetStats(). */
  readonly maxInFlight: number;
  readonly inFlight: number;
  /** Calls of `wsfunction` (all calls when omitted) since the last resetStats(). */
  count(wsfunction?: string): number;
  countsByFunction(): Record<string, number>;
  resetStats(): void;
  allowFunctions(names: readonly string[]): void;
  /** Delay every answer (or those of one function) by `ms`; slow(0) undoes it. */
  slow(ms: number, wsfunction?: string): void;
  /** The next `n` requests (of one function, if given) get HTTP `status` with an HTML body. */
  failNext(n: number, status: number, wsfunction?: string): void;
  /** Forget the failures failNext() set that were not used up. */
  clearFailures(): void;
  /** Drop every connection without answering until up(). */
  down(): void;
  up(): void;
  /** Answer `wsfunction` with this JSON (`times` times, default forever) instead of the capture. */
  respondWith(wsfunction: string, body: Json, times?: number): void;
  /** Enrol `n` synthetic learners cloned from the captured students (cycling completed/failed/inactive). */
  addLearners(n: number, options?: { firstId?: number; kinds?: readonly LearnerKind[] }): number[];
  /** Charge calls by this cost model from now on (null: answer at once); resets the Moodle-seconds. */
  costs(model: MoodleCostModel | null): void;
  /** Moodle-seconds charged since costs() (unscaled), and the longest queue for a PHP-FPM worker. */
  readonly moodle: { seconds: number; maxQueued: number } | null;
  close(): Promise<void>;
}

const SERVICE_FUNCTIONS = (captured('core_webservice_get_site_info') as { functions: { name: string }[] }).functions.map((f) => f.name);

const exception = (exceptionClass: string, errorcode: string, message: string) => ({ exception: exceptionClass, errorcode, message });
const INVALID_TOKEN = exception('core\\exception\\moodle_exception', 'invalidtoken', 'Invalid token - token not found');
const missingRecord = (table: string) => exception('dml_missing_record_exception', 'invalidrecord', `Can't find data record in database table ${table}.`);

interface Learner {
  id: number;
  kind: LearnerKind;
  enrolled: Record<string, unknown>;
}

export async function startFakeMoodleWs(options: FakeMoodleWsOptions = {}): Promise<FakeMoodleWs> {
  const token = options.token ?? randomBytes(16).toString('hex');
  let allowed = new Set(options.allowedFunctions ?? SERVICE_FUNCTIONS);
  let delays = new Map<string, number>(); // '' = all functions
  const failures: { status: number; wsfunction?: string; left: number }[] = [];
  const overrides = new Map<string, { body: Json; left: number }>();
  let isDown = false;
  let moodleServer: SimulatedMoodleServer | null = options.cost ? new SimulatedMoodleServer(options.cost) : null;
  let inFlight = 0;
  let maxInFlight = 0;
  const log: FakeCall[] = [];

  // Captured enrolled users (teacher + 3 students) plus synthetic learners.
  const capturedUsers = captured('core_enrol_get_enrolled_users', { courseid: 2 }) as Record<string, unknown>[];
  const learners = new Map<number, Learner>();
  for (const kind of ['completed', 'failed', 'inactive'] as const) {
    const id = TEMPLATE_ID[kind];
    learners.set(id, { id, kind, enrolled: capturedUsers.find((u) => u['id'] === id)! });
  }
  const teacher = capturedUsers.find((u) => u['id'] === FIXTURE_USERS.teacher)!;
  const bulkReport = captured('gradereport_user_get_grade_items', { courseid: 2 }) as { usergrades: Record<string, unknown>[] };
  const bulkTemplate = new Map(bulkReport.usergrades.map((u) => [u['userid'] as number, u]));

  const app = express();
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const personalise = (report: Record<string, unknown>, learner: Learner) => {
    const copy = clone(report);
    if (learner.id === TEMPLATE_ID[learner.kind]) return copy;
    copy['userid'] = learner.id;
    copy['userfullname'] = learner.enrolled['fullname'];
    copy['useridnumber'] = `LEARNER${learner.id}`;
    return copy;
  };
  const userReport = (userid: number): Json | undefined => {
    const learner = learners.get(userid);
    if (learner) {
      const template = captured('gradereport_user_get_grade_items', { courseid: 2, userid: TEMPLATE_ID[learner.kind] }) as {
        usergrades: Record<string, unknown>[];
      };
      return { usergrades: [personalise(template.usergrades[0]!, learner)], warnings: [] };
    }
    if (userid === FIXTURE_USERS.teacher) {
      // SYNTHESIZED: the teacher's own report looks like student3's (nothing graded).
      const template = captured('gradereport_user_get_grade_items', { courseid: 2, userid: 6 }) as { usergrades: Record<string, unknown>[] };
      const row = clone(template.usergrades[0]!);
      Object.assign(row, { userid: 3, userfullname: teacher['fullname'], useridnumber: 'TEACHER1' });
      return { usergrades: [row], warnings: [] };
    }
    return undefined;
  };

  const answer = (fn: string, p: Record<string, string>): Json => {
    const courseid = Number(p['courseid']);
    const userid = p['userid'] === undefined ? 0 : Number(p['userid']);
    switch (fn) {
      case 'core_webservice_get_site_info': {
        const info = clone(captured(fn)) as Record<string, unknown> & { functions: { name: string }[] };
        info.functions = info.functions.filter((f) => allowed.has(f.name));
        info['siteurl'] = siteUrl;
        return info;
      }
      case 'core_course_get_courses_by_field':
        return p['field'] === 'id' && Number(p['value']) === FIXTURE_COURSE_ID ? captured(fn, { field: 'id', value: 2 }) : { courses: [], warnings: [] };
      case 'core_course_get_contents':
        return courseid === FIXTURE_COURSE_ID ? captured(fn, { courseid: 2 }) : missingRecord('course');
      case 'core_grades_get_gradeitems':
        return courseid === FIXTURE_COURSE_ID ? captured(fn, { courseid: 2 }) : missingRecord('course');
      case 'core_enrol_get_enrolled_users': {
        if (courseid !== FIXTURE_COURSE_ID) return missingRecord('course');
        const opts = new Map<string, string>();
        for (let i = 0; p[`options[${i}][name]`] !== undefined; i++) opts.set(p[`options[${i}][name]`]!, p[`options[${i}][value]`] ?? '');
        let users = [teacher, ...[...learners.values()].map((l) => l.enrolled)].sort((a, b) => (a['id'] as number) - (b['id'] as number));
        const from = Number(opts.get('limitfrom') ?? 0);
        const number = Number(opts.get('limitnumber') ?? 0);
        users = number > 0 ? users.slice(from, from + number) : users.slice(from);
        const fields = opts.get('userfields');
        if (fields) {
          const keep = new Set(['id', ...fields.split(',').map((f) => f.trim())]);
          users = users.map((u) => Object.fromEntries(Object.entries(u).filter(([k]) => keep.has(k))));
        }
        return users;
      }
      case 'gradereport_user_get_grade_items': {
        if (courseid !== FIXTURE_COURSE_ID) return missingRecord('course');
        if (userid === 0) {
          // graded_users_iterator: gradebook roles only, so the teacher is not in it.
          const usergrades = [...learners.values()].sort((a, b) => a.id - b.id).map((l) => personalise(bulkTemplate.get(TEMPLATE_ID[l.kind])!, l));
          return { usergrades, warnings: [] };
        }
        return userReport(userid) ?? missingRecord('user');
      }
      case 'core_completion_get_course_completion_status': {
        if (courseid !== FIXTURE_COURSE_ID) return missingRecord('course');
        const learner = learners.get(userid);
        if (learner) return captured(fn, { courseid: 2, userid: TEMPLATE_ID[learner.kind] });
        if (userid === FIXTURE_USERS.teacher) return captured(fn, { courseid: 2, userid: 3 });
        return missingRecord('user');
      }
      case 'core_completion_get_activities_completion_status': {
        if (courseid !== FIXTURE_COURSE_ID) return missingRecord('course');
        const learner = learners.get(userid);
        if (learner) return captured(fn, { courseid: 2, userid: TEMPLATE_ID[learner.kind] });
        // SYNTHESIZED: the teacher gets student3's (all incomplete but the cross-site tool) minus any completion.
        if (userid === FIXTURE_USERS.teacher) {
          const copy = clone(captured(fn, { courseid: 2, userid: 6 })) as { statuses: Record<string, unknown>[] };
          for (const s of copy.statuses) Object.assign(s, { state: 0, timecompleted: 0 });
          return copy;
        }
        return missingRecord('user');
      }
      case 'core_user_get_users_by_field':
        return captured(fn, { field: 'id', 'values[0]': 4 });
      default:
        return exception('core\\exception\\moodle_exception', 'invalidrecord', `Can't find data record in database table external_functions.`);
    }
  };

  const fake: FakeMoodleWs = {
    siteUrl,
    endpoint: `${siteUrl}/webservice/rest/server.php`,
    token,
    log,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    count(wsfunction) {
      return wsfunction === undefined ? log.length : log.filter((c) => c.wsfunction === wsfunction).length;
    },
    countsByFunction() {
      const out: Record<string, number> = {};
      for (const c of log) out[c.wsfunction] = (out[c.wsfunction] ?? 0) + 1;
      return out;
    },
    resetStats() {
      log.length = 0;
      maxInFlight = inFlight;
    },
    allowFunctions(names) {
      allowed = new Set(names);
    },
    slow(ms, wsfunction) {
      delays = new Map(delays);
      delays.set(wsfunction ?? '', ms);
    },
    failNext(n, status, wsfunction) {
      failures.push({ status, wsfunction, left: n });
    },
    clearFailures() {
      failures.length = 0;
    },
    down() {
      isDown = true;
    },
    up() {
      isDown = false;
    },
    respondWith(wsfunction, body, times = Infinity) {
      overrides.set(wsfunction, { body, left: times });
    },
    addLearners(n, opts = {}) {
      const kinds = opts.kinds ?? (['completed', 'failed', 'inactive'] as const);
      let id = opts.firstId ?? Math.max(1000, ...learners.keys()) + 1;
      const ids: number[] = [];
      for (let i = 0; i < n; i++, id++) {
        if (learners.has(id) || id === FIXTURE_USERS.teacher) throw new Error(`user ${id} already exists`);
        const kind = kinds[i % kinds.length]!;
        const enrolled = clone(learners.get(TEMPLATE_ID[kind])!.enrolled);
        Object.assign(enrolled, {
          id,
          firstname: 'Learner',
          lastname: String(id),
          fullname: `Learner ${id}`,
          email: `learner${id}@example.com`,
        });
        learners.set(id, { id, kind, enrolled });
        ids.push(id);
      }
      return ids;
    },
    costs(model) {
      moodleServer = model ? new SimulatedMoodleServer(model) : null;
    },
    get moodle() {
      return moodleServer && { seconds: moodleServer.moodleSeconds, maxQueued: moodleServer.maxQueued };
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };

  app.use(express.raw({ type: () => true, limit: '1mb' }));
  app.all('/webservice/rest/server.php', async (req, res) => {
    if (isDown) {
      req.socket.destroy();
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);

    // server.php reads $_POST (form fields) or $_GET; flat keys like options[0][name] are kept as they come.
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const form = new URLSearchParams(req.method === 'POST' ? raw : (req.originalUrl.split('?')[1] ?? ''));
    const p: Record<string, string> = {};
    for (const [k, v] of form) p[k] = v;
    const fn = p['wsfunction'] ?? '';
    const tokenOk = p['wstoken'] === token;
    const { wstoken: _omit, ...logged } = p;
    log.push({ wsfunction: fn, params: logged, tokenOk, at: Date.now() });

    const delay = delays.get(fn) ?? delays.get('') ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (res.destroyed) return;

    const failure = failures.find((f) => f.left > 0 && (f.wsfunction === undefined || f.wsfunction === fn));
    if (failure) {
      failure.left--;
      res.status(failure.status).type('text/html').send(`<html><body><h1>${failure.status}</h1>Service unavailable</body></html>`);
      return;
    }
    if (p['moodlewsrestformat'] !== 'json') {
      res.type('application/xml').send('<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE></RESPONSE>\n');
      return;
    }
    const send = (body: Json) => res.status(200).type('application/json').send(JSON.stringify(body));
    if (!tokenOk) return send(INVALID_TOKEN);
    if (!allowed.has(fn)) return send(captured('core_completion_mark_course_self_completed', { courseid: 2 }));
    const override = overrides.get(fn);
    if (override && override.left > 0) {
      override.left--;
      return send(override.body);
    }
    const body = answer(fn, p);
    if (moodleServer) {
      // what Moodle spends on it: per user covered (report rows, roster page), per grade item
      const users = Array.isArray(body) ? body.length : ((body as { usergrades?: unknown[] })?.usergrades?.length ?? 1);
      await moodleServer.run(callCost(moodleServer.model, fn, users));
      if (res.destroyed) return;
    }
    return send(body);
  });
  app.use((_req, res) => {
    res.status(404).type('text/html').send('<html><body>Not found</body></html>');
  });

  return fake;
}
