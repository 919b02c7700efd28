/**
 * Headless Chromium for the browser tests (embedded-launch.test.ts, journeys.test.ts) and anything else that drives a
 * browser: the one place that finds and launches it. A fresh profile whose Preferences set the third-party cookie
 * setting before the first start (cookie_controls_mode 1 blocks them, so an embedded launch only works with the
 * tool's Partitioned state cookie). Plus waiting for a tool page inside Moodle's iframe, full-length screenshots of
 * the course page with the tool, and the skip-link check.
 */
import assert from 'node:assert/strict';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';

/** Where a system Chromium is looked for first (Debian's package, or CHROMIUM_PATH). */
export const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

let found: Promise<{ path: string; source: string }> | null = null;
/**
 * The Chromium to drive: CHROMIUM_PATH or a system Chromium when one is installed, else the headless Chromium
 * shipped inside the @sparticuz/chromium npm package (unpacked once into the temp directory), so `npm ci` is all
 * a machine needs. Never a browser download (`npx playwright install`).
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<{ path: string; source: string }> {
  const system = [env.CHROMIUM_PATH, ...SYSTEM_CHROMIUMS].find((p): p is string => !!p && executable(p));
  if (system) return Promise.resolve({ path: system, source: system });
  found ??= import('@sparticuz/chromium').then(async ({ default: packaged }) => ({
    path: await packaged.executablePath(),
    source: 'the @sparticuz/chromium npm package',
  }));
  return found;
}

/** Chromium's content setting for third-party cookies (CookieControlsMode): 0 allow, 1 block, 2 block in incognito only. */
export type CookieControlsMode = 0 | 1 | 2;

export interface Browser {
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

/**
 * Blocks third-party cookies for `page` and its frames (DevTools Network.setCookieControls), as the user setting
 * does: Partitioned cookies still work. The headless shell of @sparticuz/chromium ignores the profile's setting.
 */
async function blockThirdPartyCookies(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCookieControls', { enableThirdPartyCookieRestriction: true });
}

/**
 * Headless Chromium on a fresh profile (a temporary directory named `tmpPrefix`…, removed by close()) whose
 * third-party cookie setting is written before the first start; `args` are flags beyond CHROMIUM_ARGS. With
 * mode 1 every page made by context.newPage() also blocks them over DevTools (a popup opens top-level: first party).
 */
export async function launchChromium(
  cookieControlsMode: CookieControlsMode = 1,
  options: { viewport?: { width: number; height: number }; tmpPrefix?: string; args?: string[] } = {},
): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix ?? 'e2e-journeys-'));
  mkdirSync(path.join(userDataDir, 'Default'));
  writeFileSync(path.join(userDataDir, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: cookieControlsMode } }));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: (await findChromium()).path,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: 'en-GB',
    acceptDownloads: true,
  });
  if (cookieControlsMode === 1) {
    const newPage = context.newPage.bind(context);
    context.newPage = async () => {
      const page = await newPage();
      await blockThirdPartyCookies(context, page);
      return page;
    };
    for (const page of context.pages()) await blockThirdPartyCookies(context, page);
  }
  return {
    context,
    userDataDir,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The iframe Moodle's course page embeds the tool in. */
export async function contentFrame(page: Page): Promise<Frame | null> {
  return (await page.$('iframe#contentframe'))?.contentFrame() ?? null;
}

export interface DocumentInfo {
  path: string;
  ready: boolean;
  h1: string;
  text: string;
}

/** Where `target` is and what it shows, or null while it navigates. */
export async function documentInfo(target: Frame | Page): Promise<DocumentInfo | null> {
  try {
    return await target.evaluate(() => ({
      path: location.pathname,
      ready: document.readyState === 'complete',
      h1: document.querySelector('h1')?.textContent?.trim() ?? '',
      text: (document.body?.innerText ?? '').trim(),
    }));
  } catch {
    return null; // navigating
  }
}

/**
 * Waits until the tool's frame shows `expectedPath` (a string or a pattern) with an h1 matching `heading`; a tool
 * document that finished loading elsewhere (an error page) ends the wait at once with its text.
 */
export async function waitForToolFrame(page: Page, toolUrl: string, expectedPath: string | RegExp, heading: RegExp, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  const pathOk = (p: string) => (typeof expectedPath === 'string' ? p === expectedPath : expectedPath.test(p));
  let last = { url: '(no frame)', text: '' };
  while (Date.now() < deadline) {
    const frame = await contentFrame(page).catch(() => null);
    if (frame) {
      const url = frame.url();
      const info = await documentInfo(frame);
      if (info) last = { url, text: info.text };
      if (info?.ready && url.startsWith('chrome-error://')) assert.fail(`the tool's frame shows Chromium's error page (${url}): ${info.text}`);
      if (info && url.startsWith(`${toolUrl}/`)) {
        if (pathOk(info.path) && heading.test(info.h1)) return frame;
        if (info.ready && !pathOk(info.path) && !['/lti/login', '/lti/launch', '/app'].includes(info.path))
          assert.fail(`expected the tool page ${expectedPath}, the frame shows ${url.replace(/([?&]s=)[^&]+/, '$1…')}:\n${info.text.slice(0, 800)}`);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(
    `timed out after ${timeoutMs} ms waiting for ${expectedPath} with a heading ${heading}; last: ${last.url.replace(/([?&]s=)[^&]+/, '$1…')}\n${last.text.slice(0, 800)}`,
  );
}

/** The session token in the frame's address (the tool carries it in links, never in a cookie). */
export function sessionTokenOf(frame: Frame): string {
  const token = new URL(frame.url()).searchParams.get('s');
  assert.ok(token, `the frame's address has a session token: ${frame.url()}`);
  return token;
}

let shot = 0;
/** Removes the journey screenshots of an earlier run (numbers change when journeys do) and restarts the numbering. */
export function clearJourneyScreenshots() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const f of readdirSync(SCREENSHOTS)) if (/^journey-\d+-.+\.png$/.test(f)) rmSync(path.join(SCREENSHOTS, f));
  shot = 0;
}

/**
 * A screenshot of the course page with the tool's iframe stretched to its content, so the whole tool page shows.
 * The viewport is made as tall as the page for the shot: Chromium paints a cross-site iframe (its own renderer
 * process) only near the viewport, so a plain full-page screenshot would cut the tool's page off.
 */
export async function screenshot(page: Page, name: string, frame?: Frame | null): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const target = frame ?? (await contentFrame(page));
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  if (target) {
    const height = await target.evaluate(() => document.documentElement.scrollHeight).catch(() => 0);
    if (height)
      await page.evaluate((h) => document.querySelector<HTMLIFrameElement>('iframe#contentframe')?.style.setProperty('height', `${h + 24}px`), height);
  }
  const full = await page.evaluate(() => document.documentElement.scrollHeight);
  if (full > viewport.height) await page.setViewportSize({ width: viewport.width, height: Math.min(full, 8000) });
  if (target) await target.evaluate(painted).catch(() => undefined);
  await page.evaluate(painted);
  const file = path.join(SCREENSHOTS, `journey-${String(++shot).padStart(2, '0')}-${name}.png`);
  try {
    // not fullPage: its capture beyond the viewport can leave a cross-site iframe blank; the viewport already holds the page
    await page.screenshot({ path: file });
  } finally {
    if (full > viewport.height) await page.setViewportSize(viewport);
  }
  assert.ok(readFileSync(file).length > 1000, `screenshot ${file} written`);
  return file;
}

/** What has keyboard focus in `doc`. */
export async function focused(doc: Frame | Page) {
  return doc.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName ?? '',
      id: el?.id ?? '',
      cls: el?.className ?? '',
      href: el?.getAttribute('href') ?? null,
      type: el?.getAttribute('type') ?? null,
      text: (el?.textContent ?? '').trim(),
      checked: (el as HTMLInputElement | null)?.checked ?? null,
    };
  });
}

/** From the top of the page the first Tab reaches the skip link; Enter on it moves focus to <main>. */
export async function checkSkipLink(page: Page, doc: Frame, what: string, label: RegExp) {
  await page.keyboard.press('Tab');
  const first = await focused(doc);
  assert.deepEqual(
    { tag: first.tag, cls: first.cls, href: first.href },
    { tag: 'A', cls: 'skip', href: '#main' },
    `${what}: the first Tab reaches the skip link, got ${JSON.stringify(first)}`,
  );
  assert.match(first.text, label);
  const left = await doc.evaluate(() => document.activeElement!.getBoundingClientRect().left);
  assert.ok(left >= 0, `${what}: the focused skip link is on screen (left ${left})`);
  await page.keyboard.press('Enter');
  const after = await focused(doc);
  assert.deepEqual({ tag: after.tag, id: after.id }, { tag: 'MAIN', id: 'main' }, `${what}: Enter on the skip link moves focus to main`);
}

/** Presses Tab until `done` says the focused element is the one wanted (at most `max` presses). */
export async function tabUntil(page: Page, doc: Frame, done: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string, max = 40) {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(doc);
    if (done(f)) return f;
    seen.push(`${f.tag}${f.id ? `#${f.id}` : ''}${f.text ? `(${f.text.slice(0, 30)})` : ''}`);
  }
  assert.fail(`${what}: not reached with ${max} Tab presses; focus went ${seen.join(' → ')}`);
}
