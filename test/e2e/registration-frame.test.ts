/**
 * Browser test of LTI Advantage Dynamic Registration as a Moodle admin sees it: Moodle's "Manage tools" page
 * (served by the platform simulator on http://127.0.0.1) frames the tool's /lti/register (on http://localhost, a
 * site the tool has never seen). Chromium renders the page only if its CSP frame-ancestors names Moodle's origin;
 * then the page posts org.imsglobal.lti.close and Moodle closes the panel.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { PlatformSimulator } from '../support/platform-simulator';
import { startTool, type RunningTool } from '../support/tool';
import { launchChromium, type Browser } from './support/browser';

interface PanelState {
  state: string;
  messages: Array<{ origin: string; data: unknown }>;
  frameUrl: string | null;
  frameText: string;
}

/** What Moodle's page shows: the panel state, the messages it got and the registration frame's address and text. */
async function panel(page: Page): Promise<PanelState> {
  const frame = page.frames().find((f) => f !== page.mainFrame()) ?? null;
  const frameText = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
  const { state, messages } = await page.evaluate(() => ({
    state: document.getElementById('panel-state')?.textContent ?? '',
    messages: (window as unknown as { ltiMessages: PanelState['messages'] }).ltiMessages,
  }));
  return { state, messages, frameUrl: frame?.url() ?? null, frameText };
}

/** Polls the panel until `done` holds (at most 15 s); returns the last state either way. */
async function waitForPanel(page: Page, done: (p: PanelState) => boolean): Promise<PanelState> {
  const deadline = Date.now() + 15_000;
  let last = await panel(page);
  while (!done(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await panel(page);
  }
  return last;
}

describe("Moodle's Manage tools page frames the tool's registration page (headless Chromium, cross-site)", function () {
  this.timeout(60_000);
  let sim: PlatformSimulator;
  let tool: RunningTool;
  let browser: Browser;

  before(async () => {
    browser = await launchChromium(1, { tmpPrefix: 'e2e-registration-' });
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    sim = await PlatformSimulator.start();
    tool = await startTool({ host: 'localhost' });
    sim.toolUrl = tool.url;
  });
  afterEach(async () => {
    await tool?.stop();
    await sim?.stop();
  });

  it('the very first registration of a site renders in its panel and closes it', async () => {
    assert.equal((await tool.registry.list()).length, 0, 'the tool has never seen this Moodle');
    assert.notEqual(new URL(sim.issuer).origin, new URL(tool.url).origin);
    const page = await browser.context.newPage();
    try {
      await page.goto(`${sim.issuer}/mod/lti/toolconfigure.php?token=first`);
      const result = await waitForPanel(page, (p) => p.state === 'closed');
      assert.equal(result.state, 'closed', `the panel closes; the frame shows ${result.frameUrl}: ${result.frameText.slice(0, 400)}`);
      // the message comes from the tool's page script: a frame Chromium refused to render runs none
      assert.deepEqual(result.messages, [{ origin: new URL(tool.url).origin, data: { subject: 'org.imsglobal.lti.close' } }]);
      const [platform] = await tool.registry.list();
      assert.equal(platform?.issuer, sim.issuer);
      assert.equal(sim.registrations[0]?.authorization, 'Bearer first');
    } finally {
      await page.close();
    }
  });

  it("a registration whose openid configuration fails validation is not rendered in that site's frame", async () => {
    // the configuration names a key set on another origin: refused (DYNREG_ENDPOINT_FOREIGN) before Moodle is trusted
    sim.openidConfigurationOverrides = { jwks_uri: 'http://127.0.0.1:1/certs.php' };
    const page = await browser.context.newPage();
    try {
      await page.goto(`${sim.issuer}/mod/lti/toolconfigure.php?token=forged`);
      const result = await waitForPanel(page, (p) => !!p.frameUrl?.startsWith('chrome-error://'));
      assert.ok(
        result.frameUrl?.startsWith('chrome-error://'),
        `Chromium refuses to render the tool's answer in the frame; it shows ${result.frameUrl}: ${result.frameText.slice(0, 400)}`,
      );
      assert.deepEqual([result.state, result.messages], ['open', []], 'no close message, the panel stays open');
      assert.equal((await tool.registry.list()).length, 0);
      assert.equal(sim.registrations.length, 0, 'Moodle was never asked to register the tool');
    } finally {
      await page.close();
    }
  });
});
