/**
 * The simulated Moodle of `npm run demo` and of the browser journeys (test/e2e/journeys.test.ts): the
 * platform simulator and the fake web service, each behind a small front server on 127.0.0.1 that can sit
 * on a fixed port (8080 and 8081 by default in the demo) and falls back to a free one.
 *
 * The front of the simulator adds, without changing platform-simulator.ts:
 * - `/`: an index page listing the course page of each demo user (a newcomer's starting point);
 * - a launch per user: the login of Moodle user 2 is signed as an administrator (registrar), 3 as the teacher,
 *   4, 5 and 6 as the captured students with their own names, so people can click through in any order;
 * - `?lang=lv` and `container=window` on `/course/view.php` decide the locale and window of that user's next launch.
 * Everything else is passed to the simulator unchanged (it keeps its random port; its issuer is the front's URL).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { PlatformSimulator, type LaunchKind } from './platform-simulator';
import { FIXTURE_USERS, startFakeMoodleWs, type FakeMoodleWs } from './fake-moodle-ws';

export interface DemoUser {
  id: string;
  kind: LaunchKind;
  name: string;
  email: string;
  /** What the index page says about this user. */
  role: string;
}

/** Moodle users of the captured course 2 (test/fixtures/moodle-ws) and the site administrator. */
export const DEMO_USERS: readonly DemoUser[] = [
  { id: String(FIXTURE_USERS.teacher), kind: 'teacher', name: 'Tina Teacher', email: 'teacher1@example.com', role: 'Teacher of the course' },
  {
    id: String(FIXTURE_USERS.completed),
    kind: 'student',
    name: 'Sam Student',
    email: 'student1@example.com',
    role: 'Student who passed Essay 1 and completed the Final Project (earns the badge)',
  },
  {
    id: String(FIXTURE_USERS.failed),
    kind: 'student',
    name: 'Sara Student',
    email: 'student2@example.com',
    role: 'Student who failed Essay 1 (badge in progress)',
  },
  { id: String(FIXTURE_USERS.inactive), kind: 'student', name: 'Stan Student', email: 'student3@example.com', role: 'Student who has not started' },
  { id: '2', kind: 'admin', name: 'Admin User', email: 'admin@example.com', role: 'Moodle site administrator (registrar of the institution)' },
];

export type DemoLocale = 'en' | 'lv';

export interface DemoMoodleOptions {
  /** Port of the simulated Moodle (the LTI issuer); 0 or unset: a free port. Taken when free, else a free one. */
  port?: number;
  /** Port of the fake Moodle web service; 0 or unset: a free port. */
  wsPort?: number;
  /** Extra pages on the Moodle front (the demo adds its registrar export shortcut here). */
  routes?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean | Promise<boolean>;
  /** Extra HTML for the index page (after the user table). */
  indexExtra?: () => string | Promise<string>;
}

export interface DemoMoodle {
  sim: PlatformSimulator;
  ws: FakeMoodleWs;
  /** The simulated Moodle as the browser and the tool see it (http://127.0.0.1:<port>), also the LTI issuer. */
  url: string;
  /** The fake web service as the tool sees it (the "Moodle address" of the web-service form). */
  wsUrl: string;
  /** Whether the preferred ports were taken (false: a fallback port is in use). */
  preferredPorts: { moodle: boolean; ws: boolean };
  /** Course page of a user: embedded (default) or new window, English (default) or Latvian. */
  coursePage(userId: string, options?: { locale?: DemoLocale; container?: 'embed' | 'window' }): string;
  /** The next launch of `userId` uses this locale (what ?lang= on the course page does). */
  setLocale(userId: string, locale: DemoLocale): void;
  stop(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Listens on `port` when it is free on 127.0.0.1, else on a free port; returns the port taken. */
export async function listenPreferring(server: net.Server, port: number | undefined): Promise<number> {
  const attempt = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (err: Error) => {
        server.off('listening', onListening);
        reject(err);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, '127.0.0.1');
    });
  if (port) {
    try {
      return await attempt(port);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (err as NodeJS.ErrnoException).code !== 'EACCES') throw err;
    }
  }
  return attempt(0);
}

function closeServer(server: net.Server): Promise<void> {
  (server as http.Server).closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startDemoMoodle(options: DemoMoodleOptions = {}): Promise<DemoMoodle> {
  const sim = await PlatformSimulator.start();
  const simTarget = new URL(sim.issuer);
  const ws = await startFakeMoodleWs();
  const wsTarget = new URL(ws.siteUrl);
  const prefs = new Map<string, { locale?: DemoLocale; documentTarget?: 'window' | 'iframe' }>();
  // the simulator signs whatever `nextLaunch` says when its auth endpoint answers: one login at a time
  let authQueue: Promise<void> = Promise.resolve();

  const launchFor = (userId: string): PlatformSimulator['nextLaunch'] => {
    const user = DEMO_USERS.find((u) => u.id === userId);
    const pref = prefs.get(userId) ?? {};
    const overrides: Record<string, unknown> = user
      ? { name: user.name, given_name: user.name.split(' ')[0], family_name: user.name.split(' ').slice(1).join(' '), email: user.email }
      : {};
    return { kind: user?.kind ?? 'student', overrides, locale: pref.locale ?? 'en', documentTarget: pref.documentTarget ?? 'iframe' };
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> =>
    new Promise((resolve) => {
      const upstream = http.request(
        { host: simTarget.hostname, port: simTarget.port, method: req.method, path: req.url, headers: { ...req.headers, host: simTarget.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', () => resolve());
          res.on('close', () => resolve());
        },
      );
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`the simulated Moodle did not answer: ${err.message}`);
        resolve();
      });
      req.pipe(upstream);
    });

  let moodleUrl = '';
  const indexPage = async () => {
    const rows = DEMO_USERS.map((u) => {
      const link = (label: string, opts: Parameters<DemoMoodle['coursePage']>[1]) => `<a href="${esc(coursePage(u.id, opts))}">${label}</a>`;
      return `<tr><th scope="row">${esc(u.name)} <span class="id">(user ${esc(u.id)})</span></th><td>${esc(u.role)}</td>
<td>${link('English', { locale: 'en' })} · ${link('<span lang="lv">Latviski</span>', { locale: 'lv' })} · ${link('new window', { locale: 'en', container: 'window' })}</td></tr>`;
    }).join('\n');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Simulated Moodle: Open Badges demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1f24}th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}table{border-collapse:collapse}.id{color:#4a5560;font-weight:400}a{color:#0b5cad}code{background:#f3f4f6;padding:0 .2rem}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}</style></head>
<body><main><h1>Simulated Moodle 4.5: Open Badges Demo Course</h1>
<p>This is not Moodle: it is the project's LTI 1.3 platform simulator with data captured from a real Moodle 4.5 course
(course 2). Each link opens the course page of a user; the page shows the badge tool in an iframe, as Moodle's
"Embed" launch does, signed in as that user. Use "new window" if your browser refuses the embedded tool.
Try them in this order: the teacher presses "Check now"; Sam claims his badge; the administrator opens "Registrar" in
the tool's menu (issued credentials, revocation, exports, institution profile, Moodle web service).</p>
<table><caption class="visually-hidden">Demo users</caption><thead><tr><th scope="col">Moodle user</th><th scope="col">Who</th><th scope="col">Open the course as this user</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${(await options.indexExtra?.()) ?? ''}
<p>Issuer (LTI platform): <code>${esc(moodleUrl)}</code> · web service: <code>${esc(wsUrl)}</code></p>
</main></body></html>`;
  };

  const front = http.createServer(
    (req, res) =>
      void (async () => {
        try {
          const url = new URL(req.url ?? '/', moodleUrl || 'http://127.0.0.1');
          if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await indexPage());
            return;
          }
          if (options.routes && (await options.routes(req, res, url))) return;
          if (req.method === 'GET' && url.pathname === '/course/view.php') {
            const user = url.searchParams.get('user') ?? '4';
            const lang = url.searchParams.get('lang');
            const pref = prefs.get(user) ?? {};
            // each visit of the course page decides the language of the launch it makes (English unless ?lang=lv)
            pref.locale = lang === 'lv' ? 'lv' : 'en';
            pref.documentTarget = url.searchParams.get('container') === 'window' ? 'window' : 'iframe';
            prefs.set(user, pref);
          }
          if (url.pathname === '/mod/lti/auth.php') {
            const previous = authQueue;
            let release!: () => void;
            authQueue = new Promise((r) => (release = r));
            await previous;
            try {
              sim.nextLaunch = launchFor(url.searchParams.get('login_hint') ?? '');
              await forward(req, res);
            } finally {
              release();
            }
            return;
          }
          await forward(req, res);
        } catch (err) {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String((err as Error).message));
        }
      })(),
  );
  const moodlePort = await listenPreferring(front, options.port);
  moodleUrl = `http://127.0.0.1:${moodlePort}`;
  sim.issuer = moodleUrl;

  // the web service: a plain TCP relay to the fake's random port
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(Number(wsTarget.port), wsTarget.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const wsPort = await listenPreferring(relay, options.wsPort);
  const wsUrl = `http://127.0.0.1:${wsPort}`;

  function coursePage(userId: string, opts: { locale?: DemoLocale; container?: 'embed' | 'window' } = {}) {
    const q = new URLSearchParams({ user: userId });
    if (opts.locale) q.set('lang', opts.locale);
    if (opts.container === 'window') q.set('container', 'window');
    return `${moodleUrl}/course/view.php?${q}`;
  }

  return {
    sim,
    ws,
    url: moodleUrl,
    wsUrl,
    preferredPorts: { moodle: !options.port || moodlePort === options.port, ws: !options.wsPort || wsPort === options.wsPort },
    coursePage,
    setLocale(userId, locale) {
      prefs.set(userId, { ...prefs.get(userId), locale });
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await closeServer(relay);
      await closeServer(front);
      await ws.close();
      await sim.stop();
    },
  };
}
