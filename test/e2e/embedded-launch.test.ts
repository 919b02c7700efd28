/**
 * Browser tests: a real headless Chromium launches the tool from a Moodle-like course page served by the
 * platform simulator, embedded in an iframe (cross-site: Moodle on http://127.0.0.1, the tool on
 * http://localhost) and in a new window.
 *
 * Third-party cookies are blocked on purpose, as the captured Chromium 156 did (moodle-fixtures quirk 9):
 * the browser runs on a fresh user-data dir whose Default/Preferences sets `profile.cookie_controls_mode: 1`
 * ("Block third-party cookies"), and each page also blocks them over DevTools (the npm-packaged headless shell
 * ignores the profile setting; see support/browser.ts). The first test proves it with a cookie probe on the tool's site
 * (localhost): inside Moodle's iframe a plain `SameSite=None; Secure` cookie does not come back while a
 * `Partitioned` one does, and with the setting off (mode 0) the probe does see the plain cookie. Without
 * that proof a passing embedded launch would say nothing about the tool's Partitioned state cookie.
 *
 * Chromium: a system one when installed, else the one inside the @sparticuz/chromium npm package (support/browser.ts);
 * never `npx playwright install`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Frame, Page } from 'playwright-core';
import { PlatformSimulator } from '../support/platform-simulator';
import { startTool, type RunningTool } from '../support/tool';
import { contentFrame, documentInfo, launchChromium as launchBrowser, SCREENSHOTS, type Browser, type CookieControlsMode } from './support/browser';

const LANDING_TIMEOUT_MS = 15_000;

/** Headless Chromium on a fresh profile whose third-party cookie setting is written before the first start. */
const launchChromium = (cookieControlsMode: CookieControlsMode) =>
  launchBrowser(cookieControlsMode, { viewport: { width: 1280, height: 720 }, tmpPrefix: 'e2e-chromium-' });

/**
 * A tiny server on the tool's site (reached as http://localhost:<port>; cookies are not port-scoped, so it
 * shares the tool's cookie jar). GET /set sets a plain `SameSite=None; Secure` cookie and a `Partitioned` one,
 * then redirects to GET /check, which records which of them came back, like the tool's /lti/login → /lti/launch.
 */
class CookieProbe {
  readonly seen = new Map<string, string>();
  private server!: http.Server;
  url = '';

  static async start(): Promise<CookieProbe> {
    const probe = new CookieProbe();
    const app = express();
    app.get('/set', (req, res) => {
      const tag = String(req.query.tag);
      res.append('Set-Cookie', `plain_${tag}=1; Path=/; HttpOnly; Secure; SameSite=None`);
      res.append('Set-Cookie', `chips_${tag}=1; Path=/; HttpOnly; Secure; SameSite=None; Partitioned`);
      res.redirect(302, `/check?tag=${encodeURIComponent(tag)}`);
    });
    app.get('/check', (req, res) => {
      const cookie = req.headers.cookie ?? '';
      probe.seen.set(String(req.query.tag), cookie);
      res.type('text').send(`cookies back: ${cookie || '(none)'}`);
    });
    probe.server = http.createServer(app);
    await new Promise<void>((resolve) => probe.server.listen(0, '127.0.0.1', resolve));
    probe.url = `http://localhost:${(probe.server.address() as AddressInfo).port}`;
    return probe;
  }

  setUrl(tag: string) {
    return `${this.url}/set?tag=${encodeURIComponent(tag)}`;
  }

  /** Which probe cookies the browser sent back for `tag`. */
  async result(tag: string): Promise<{ plain: boolean; partitioned: boolean; header: string }> {
    const deadline = Date.now() + 10_000;
    while (!this.seen.has(tag)) {
      if (Date.now() > deadline) throw new Error(`the cookie probe was never reached for ${tag}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const header = this.seen.get(tag)!;
    const names = header.split(';').map((c) => c.trim().split('=')[0]);
    return { plain: names.includes(`plain_${tag}`), partitioned: names.includes(`chips_${tag}`), header };
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

type Landing = { ok: true; url: string } | { ok: false; url: string; text: string };

/**
 * Waits until `target` shows the tool page `path` with a heading matching `heading`. A tool document that
 * finished loading at any other path is an error page (login, launch and /app only redirect), so it ends
 * the wait at once with the page's text, e.g. `LTI_MISSING_VALIDATION_COOKIE`.
 */
async function waitForToolPage(tool: RunningTool, target: () => Promise<Frame | Page | null>, expectedPath: string, heading: RegExp): Promise<Landing> {
  const deadline = Date.now() + LANDING_TIMEOUT_MS;
  let last = { url: '(no frame)', text: '' };
  while (Date.now() < deadline) {
    const t = await target().catch(() => null);
    if (t) {
      const url = t.url();
      const info = await documentInfo(t);
      if (info) last = { url, text: info.text };
      // Chromium's own error page: the tool refused to be framed (CSP frame-ancestors) or could not be reached
      if (info?.ready && url.startsWith('chrome-error://'))
        return { ok: false, url, text: `${info.text} (Chromium error page: CSP frame-ancestors refusal or connection failure)` };
      if (info && url.startsWith(`${tool.url}/`)) {
        if (info.path === expectedPath && heading.test(info.h1)) return { ok: true, url };
        if (info.ready && info.path !== expectedPath) return { ok: false, url, text: info.text };
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ok: false, url: last.url, text: `(timed out after ${LANDING_TIMEOUT_MS} ms) ${last.text}` };
}

function toolWarnings(tool: RunningTool): string {
  return tool.logs
    .map((line) => {
      try {
        return JSON.parse(line) as { level: number; msg?: string; code?: string };
      } catch {
        return null;
      }
    })
    .filter((l): l is { level: number; msg?: string; code?: string } => !!l && l.level >= 40)
    .slice(-3)
    .map((l) => `${l.code ?? ''} ${l.msg ?? ''}`.trim())
    .join(' | ');
}

function assertLanded(tool: RunningTool, landing: Landing, what: string) {
  if (landing.ok) return;
  assert.fail(`${what} did not land; the browser shows ${landing.url}:\n${landing.text}\ntool warnings: ${toolWarnings(tool) || '(none)'}`);
}

/** Tab from the top of the page reaches the skip link first; activating it moves focus to <main>. */
async function checkSkipLink(page: Page, doc: Frame | Page, what: string) {
  await page.keyboard.press('Tab');
  const first = await doc.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const box = el?.getBoundingClientRect();
    return { tag: el?.tagName, cls: el?.className, href: el?.getAttribute('href'), text: el?.textContent?.trim(), left: box?.left ?? -1 };
  });
  assert.deepEqual(
    { tag: first.tag, cls: first.cls, href: first.href },
    { tag: 'A', cls: 'skip', href: '#main' },
    `${what}: first Tab should reach the skip link, got ${JSON.stringify(first)}`,
  );
  assert.equal(first.text, 'Skip to content');
  assert.ok(first.left >= 0, `${what}: the focused skip link is on screen (left ${first.left})`);
  await page.keyboard.press('Enter');
  const focused = await doc.evaluate(() => ({ tag: document.activeElement?.tagName, id: document.activeElement?.id }));
  assert.deepEqual(focused, { tag: 'MAIN', id: 'main' }, `${what}: the skip link moves focus to main`);
}

async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(readFileSync(file).length > 1000, `screenshot ${file} written`);
}

describe('Moodle launches the tool in a real browser (headless Chromium, third-party cookies blocked)', function () {
  this.timeout(30_000);
  let sim: PlatformSimulator;
  let tool: RunningTool;
  let probe: CookieProbe;
  let browser: Browser;

  before(async function () {
    sim = await PlatformSimulator.start();
    // cross-site: Moodle is http://127.0.0.1:<p1>, the tool http://localhost:<p2> (it listens on 127.0.0.1)
    tool = await startTool({ host: 'localhost' });
    sim.toolUrl = tool.url;
    await tool.registry.register(sim.platformRegistration());
    probe = await CookieProbe.start();
    browser = await launchChromium(1);
  });

  after(async () => {
    await browser?.close();
    await probe?.stop();
    await tool?.stop();
    await sim?.stop();
  });

  const coursePage = (query: Record<string, string>) => `${sim.issuer}/course/view.php?${new URLSearchParams(query)}`;
  const tag = () => `t${randomBytes(4).toString('hex')}`;

  it('the setup is cross-site and the browser blocks third-party cookies (control: only the Partitioned probe cookie comes back)', async () => {
    assert.equal(new URL(sim.issuer).hostname, '127.0.0.1');
    assert.equal(new URL(tool.url).hostname, 'localhost');
    assert.equal(new URL(probe.url).hostname, 'localhost');

    const t = tag();
    const page = await browser.context.newPage();
    try {
      await page.goto(coursePage({ user: '3', probe: probe.setUrl(t) }));
      const embedded = await probe.result(t);
      assert.equal(embedded.partitioned, true, `the Partitioned cookie comes back inside Moodle's iframe (got "${embedded.header}")`);
      assert.equal(
        embedded.plain,
        false,
        `third-party cookies must be blocked: the plain SameSite=None; Secure cookie came back inside Moodle's iframe ("${embedded.header}")`,
      );
      const jar = await browser.context.cookies(probe.url);
      assert.deepEqual(
        jar.map((c) => [c.name, c.partitionKey ?? null]),
        [[`chips_${t}`, 'http://127.0.0.1']],
        'the jar holds only the Partitioned cookie, keyed to the top-level site (Moodle)',
      );

      // the same probe at top level (first-party): both cookies come back, so the probe itself works on http://localhost
      const fp = `${t}fp`;
      await page.goto(probe.setUrl(fp));
      assert.deepEqual(await probe.result(fp), { plain: true, partitioned: true, header: `plain_${fp}=1; chips_${fp}=1` });
    } finally {
      await page.close();
    }
  });

  it('control for the control: with third-party cookies allowed (cookie_controls_mode 0) the probe does see the plain cookie', async () => {
    const allowing = await launchChromium(0);
    try {
      const t = tag();
      const page = await allowing.context.newPage();
      await page.goto(coursePage({ user: '3', probe: probe.setUrl(t) }));
      const embedded = await probe.result(t);
      assert.equal(embedded.plain, true, `with the setting off the plain cookie should come back ("${embedded.header}"); otherwise the probe proves nothing`);
    } finally {
      await allowing.close();
    }
  });

  it('embedded teacher launch from the course page lands on the teacher page in the iframe', async () => {
    sim.nextLaunch = { kind: 'teacher' };
    const page = await browser.context.newPage();
    try {
      const t = tag();
      await page.goto(coursePage({ user: '3', probe: probe.setUrl(t) }));
      const landing = await waitForToolPage(tool, () => contentFrame(page), '/app/teacher', /^Badges of Open Badges Demo Course$/);
      assertLanded(tool, landing, 'the embedded teacher launch');
      // same page, same moment: the tool's launch worked although plain third-party cookies did not come back
      const control = await probe.result(t);
      assert.deepEqual([control.plain, control.partitioned], [false, true], `cookie probe next to the launch: ${control.header}`);

      const frame = (await contentFrame(page))!;
      assert.match(await frame.locator('.who').innerText(), /Signed in as Tina Teacher/);
      const session = await tool.sessions.find(new URL(landing.url).searchParams.get('s')!);
      assert.equal(session?.context.documentTarget, 'iframe');
      await checkSkipLink(page, frame, 'embedded teacher page');
      await screenshot(page, 'embedded-teacher');
    } finally {
      await page.close();
    }
  });

  it('embedded student launch lands on the student page in the iframe', async () => {
    sim.nextLaunch = { kind: 'student' };
    const page = await browser.context.newPage();
    try {
      await page.goto(coursePage({ user: '4' }));
      const landing = await waitForToolPage(tool, () => contentFrame(page), '/app/student', /^My badges in Open Badges Demo Course$/);
      assertLanded(tool, landing, 'the embedded student launch');
      await checkSkipLink(page, (await contentFrame(page))!, 'embedded student page');
      await screenshot(page, 'embedded-student');
    } finally {
      await page.close();
    }
  });

  it('the embedded launch fails with LTI_MISSING_VALIDATION_COOKIE when the state cookie is not Partitioned (negative control)', async () => {
    sim.nextLaunch = { kind: 'student' };
    const page = await browser.context.newPage();
    const stripped: string[] = [];
    // the browser receives the tool's /lti/login answer with "; Partitioned" removed from its Set-Cookie headers
    await page.route(`${tool.url}/lti/login`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const headers: Record<string, string> = {};
      const setCookies: string[] = [];
      for (const h of response.headersArray()) {
        if (h.name.toLowerCase() === 'set-cookie') setCookies.push(h.value.replace(/;\s*Partitioned/gi, ''));
        else headers[h.name] = h.value;
      }
      stripped.push(...setCookies);
      if (setCookies.length) headers['set-cookie'] = setCookies.join('\n');
      await route.fulfill({ status: response.status(), headers, body: await response.body() });
    });
    try {
      await page.goto(coursePage({ user: '4' }));
      const landing = await waitForToolPage(tool, () => contentFrame(page), '/app/student', /^My badges in Open Badges Demo Course$/);
      assert.ok(
        stripped.some((c) => /^state.+SameSite=None/.test(c) && !/Partitioned/.test(c)),
        `the state cookie reached the browser without Partitioned: ${stripped.join(' | ')}`,
      );
      assert.equal(landing.ok, false, 'without Partitioned the embedded launch must not succeed');
      assert.match((landing as { text: string }).text, /LTI_MISSING_VALIDATION_COOKIE/);
    } finally {
      await page.close();
    }
  });

  it('new-window launch: the course page opens the tool top-level in a new window and lands on the student page', async () => {
    sim.nextLaunch = { kind: 'student', documentTarget: 'window' };
    const page = await browser.context.newPage();
    try {
      await page.goto(coursePage({ user: '4', container: 'window' }));
      const [popup] = await Promise.all([browser.context.waitForEvent('page'), page.getByRole('button', { name: 'Badge tool' }).click()]);
      try {
        const landing = await waitForToolPage(tool, async () => popup, '/app/student', /^My badges in Open Badges Demo Course$/);
        assertLanded(tool, landing, 'the new-window student launch');
        assert.equal(popup.mainFrame().parentFrame(), null, 'the tool runs top-level');
        const session = await tool.sessions.find(new URL(popup.url()).searchParams.get('s')!);
        assert.equal(session?.context.documentTarget, 'window');
        await checkSkipLink(popup, popup, 'new-window student page');
        await screenshot(popup, 'new-window-student');
      } finally {
        await popup.close();
      }
    } finally {
      await page.close();
    }
  });
});
