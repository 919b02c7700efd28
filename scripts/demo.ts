/**
 * npm run demo                                   everything on this machine, no configuration: a MongoDB-protocol
 *                                                server, a simulated Moodle 4.5 (LTI platform + web service) and the
 *                                                tool, set up (platform registered, web service connected, a Latvian
 *                                                university as issuer, a badge in course 2); then prints where to click.
 * npm run demo -- --auto --out DIR [--exit]      also runs the whole journey over HTTP (teacher → student → claim →
 *                                                downloads → registrar exports into DIR); --exit stops afterwards
 *                                                (exit code 0 on success, 1 with the reason on any failure).
 * Options: --port N (tool, default 3000), --moodle-port N (default 8080), --ws-port N (default 8081); a port in
 * use falls back to a free one. Everything listens on 127.0.0.1 only.
 */
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import { DEMO_USERS, startDemoMoodle, type DemoMoodle } from '../test/support/demo-moodle';
import { connectMoodleWs, defineDemoBadge, HttpError, LATVIAN_UNIVERSITY, launchOverHttp, saveInstitution } from '../test/support/demo-http';
import { startDemoDatabase, type DemoDatabase } from './demo/database';
import { EXPORT_FORMATS, runJourney } from './demo/journey';
import { startDemoTool, type DemoTool } from './demo/tool';

interface Options {
  auto: boolean;
  exit: boolean;
  out: string;
  port: number;
  moodlePort: number;
  wsPort: number;
}

function usage(problem?: string): never {
  const text = `Usage: npm run demo [-- --auto --out DIR [--exit]] [--port N] [--moodle-port N] [--ws-port N]
  --auto        run the whole journey over HTTP and save the downloads and exports into --out
  --out DIR     where --auto saves files (default: a new directory under ${os.tmpdir()})
  --exit        stop when --auto is done (exit code 0 on success, 1 on failure); without it the demo keeps serving
  --port N      the tool's port (default 3000), --moodle-port N (default 8080), --ws-port N (default 8081)`;
  if (problem) {
    console.error(`${problem}\n\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

function parseArgs(argv: string[]): Options {
  const o: Options = { auto: false, exit: false, out: '', port: 3000, moodlePort: 8080, wsPort: 8081 };
  const port = (v: string | undefined, flag: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) usage(`${flag} needs a port number, got "${v ?? ''}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--auto':
        o.auto = true;
        break;
      case '--exit':
        o.exit = true;
        break;
      case '--out': {
        const v = value();
        if (!v) usage('--out needs a directory');
        o.out = path.resolve(v);
        break;
      }
      case '--port':
        o.port = port(value(), '--port');
        break;
      case '--moodle-port':
        o.moodlePort = port(value(), '--moodle-port');
        break;
      case '--ws-port':
        o.wsPort = port(value(), '--ws-port');
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        usage(`unknown option ${a}`);
    }
  }
  if (o.exit && !o.auto) usage('--exit only makes sense with --auto');
  return o;
}

const log = (line = '') => console.log(line);
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  let db: DemoDatabase | null = null;
  let moodle: DemoMoodle | null = null;
  let tool: DemoTool | null = null;
  let stopping = false;
  /** Stops everything; the tool's log is kept only after a failure (its path is printed). */
  const stop = async (keepLog = false) => {
    if (stopping) return;
    stopping = true;
    await tool?.stop().catch(() => undefined);
    await moodle?.stop().catch(() => undefined);
    await db?.stop().catch(() => undefined);
    if (tool && !keepLog) rmSync(tool.logFile, { force: true });
  };
  const fail = async (err: unknown) => {
    const message = err instanceof HttpError || err instanceof Error ? err.message : String(err);
    console.error(`\n✘ demo failed: ${message}`);
    if (tool) console.error(`  the tool's log: ${tool.logFile}`);
    await stop(true);
    process.exit(1);
  };
  process.on('SIGINT', () => void stop().then(() => (console.log('\nStopped.'), process.exit(130))));
  process.on('SIGTERM', () => void stop().then(() => process.exit(143)));

  try {
    log(bold('Open Badges 3.0 for Moodle — local demo'));
    db = await startDemoDatabase(log);
    log(`• database: ${db.description}`);

    let toolUrl = '';
    let platformId = '';
    // The simulated Moodle's shortcuts for the registrar's exports: a fresh administrator launch, then the tool's URL.
    const shortcut = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> => {
      if (req.method !== 'GET' || !['/demo/registrar-export', '/demo/registrar-credentials'].includes(url.pathname)) return false;
      try {
        const { token } = await launchOverHttp(toolUrl, moodle!, '2');
        const format = url.searchParams.get('format') ?? 'csv';
        const target =
          url.pathname === '/demo/registrar-export'
            ? `${toolUrl}/app/registrar/export?format=${encodeURIComponent(format)}&s=${encodeURIComponent(token)}`
            : `${toolUrl}/app/registrar/credentials?s=${encodeURIComponent(token)}`;
        res.writeHead(303, { location: target }).end();
      } catch (err) {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`The administrator's launch failed: ${(err as Error).message}`);
      }
      return true;
    };
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const indexExtra = async () => {
      if (!tool || !platformId) return '';
      const issued = await tool.issuance.credentials.listForPlatform(platformId);
      const latest = issued[0];
      const status = latest?.json?.credentialStatus as { statusListCredential?: string } | undefined;
      return `<h2>Registrar shortcuts</h2>
<p>The demo launches the tool as the administrator (user 2) for you and opens the tool's address with that session:</p>
<ul>${EXPORT_FORMATS.map((f) => `<li><a href="/demo/registrar-export?format=${f}">Export all credentials as ${f.toUpperCase()}</a></li>`).join('')}
<li><a href="/demo/registrar-credentials">Issued credentials (JSON)</a></li></ul>
<h2>Published by the tool (no sign-in)</h2>
<ul><li><a href="${esc(`${toolUrl}/issuers/${platformId}`)}">Issuer profile</a></li>
<li><a href="${esc(`${toolUrl}/issuers/${platformId}/did.json`)}">DID document</a></li>
${latest ? `<li><a href="${esc(`${toolUrl}/credentials/${latest.id}`)}">Latest credential: ${esc(latest.achievementName)} (${esc(latest.status)})</a></li>` : '<li>Credentials appear here once a student claims one.</li>'}
${status?.statusListCredential ? `<li><a href="${esc(status.statusListCredential)}">Status list</a></li>` : ''}</ul>`;
    };

    moodle = await startDemoMoodle({ port: options.moodlePort, wsPort: options.wsPort, routes: shortcut, indexExtra });
    log(`• simulated Moodle 4.5 (LTI platform): ${moodle.url}${moodle.preferredPorts.moodle ? '' : ` (port ${options.moodlePort} is in use)`}`);
    log(`• fake Moodle web service: ${moodle.wsUrl}${moodle.preferredPorts.ws ? '' : ` (port ${options.wsPort} is in use)`}`);

    const logFile = path.join(os.tmpdir(), `ob3-demo-tool-${process.pid}.log`);
    tool = await startDemoTool({ mongodbUri: db.uri, port: options.port, logFile, echo: (line) => console.error(`  ${line}`) });
    toolUrl = tool.url;
    moodle.sim.toolUrl = tool.url;
    log(
      `• the tool (NODE_ENV=development, development-only secrets): ${tool.url}${tool.port === options.port ? '' : ` (port ${options.port} is in use)`}; its log: ${logFile} (removed when the demo stops, kept after a failure)`,
    );

    // Set-up, as the people would do it: the admin registers the tool in Moodle and tells the tool about the site
    // (CLI), the registrar enters the web-service token and the institution, the teacher defines the badge.
    const platform = await tool.registry.register(moodle.sim.platformRegistration());
    platformId = platform.id;
    const registrar = await launchOverHttp(tool.url, moodle, '2');
    await connectMoodleWs(tool.url, registrar.token, moodle.wsUrl, moodle.ws.token);
    await saveInstitution(tool.url, registrar.token);
    const teacher = await launchOverHttp(tool.url, moodle, '3');
    const badgeId = await defineDemoBadge(tool.url, teacher.token);
    log(
      `• set up: platform registered (client id ${moodle.sim.clientId}), web service connected, issuer "${LATVIAN_UNIVERSITY.nameEn}" (LV), badge "Essay passed and Final Project completed" in course 2`,
    );

    printInstructions(moodle, tool, platformId);

    if (options.auto) {
      const outDir = options.out || path.join(os.tmpdir(), `ob3-demo-out-${process.pid}`);
      mkdirSync(outDir, { recursive: true });
      log(bold(`\nAutomatic journey (files into ${outDir})`));
      const result = await runJourney({ toolUrl: tool.url, moodle, platformId, badgeId, outDir, log: (l) => log(`  ${l}`) });
      log(bold('\nPublished for verifiers'));
      log(`  credential:      ${result.credentialUrl}`);
      log(`  issuer profile:  ${result.issuerProfileUrl}`);
      log(`  DID document:    ${result.didDocumentUrl}`);
      log(`  status list:     ${result.statusListUrl}`);
      log(`  files:           ${result.files.map((f) => path.basename(f)).join(', ')} in ${outDir}`);
      if (!result.exports.done) log(`  exports:         ${result.exports.note}`);
      log(`\n✔ the journey passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (options.exit) {
        await stop();
        process.exit(0);
      }
    }
    log(`\nServing until you press Ctrl+C.`);
  } catch (err) {
    await fail(err);
  }
}

function printInstructions(moodle: DemoMoodle, tool: DemoTool, platformId: string) {
  const user = (id: string) => DEMO_USERS.find((u) => u.id === id)!;
  log(bold('\nClick through in a browser (Chrome or Chromium; the tool is embedded cross-site as in Moodle):'));
  log(`  Start page of the simulated Moodle:  ${moodle.url}/`);
  log(`  1. Teacher  ${user('3').name} (user 3):  ${moodle.coursePage('3')}`);
  log('     press "Check now", then open the badge to see each learner and why');
  log(`  2. Student  ${user('4').name} (user 4, completed):  ${moodle.coursePage('4')}`);
  log('     "Claim this badge…" → claim → the verified credential page with JSON, JWT, PNG and SVG downloads');
  log(`     Student  ${user('5').name} (user 5, failed Essay 1):  ${moodle.coursePage('5')}`);
  log(`     the same in Latvian:  ${moodle.coursePage('4', { locale: 'lv' })}`);
  log(`  3. Registrar  ${user('2').name} (user 2, site administrator):  ${moodle.coursePage('2')}`);
  log('     lands on the teacher page; "Registrar" in the menu: issued credentials (revoke), exports, institution profile, Moodle web service');
  log(
    `     exports without clicking (the demo launches as user 2 for you):\n       ${EXPORT_FORMATS.map((f) => `${moodle.url}/demo/registrar-export?format=${f}`).join('\n       ')}`,
  );
  log(`  Issuer profile: ${tool.url}/issuers/${platformId}   DID document: ${tool.url}/issuers/${platformId}/did.json`);
  log('  If the embedded tool shows a cookie error in your browser, add &container=window to a course page address.');
}

main().catch((err) => {
  console.error('✘ demo failed:', err);
  process.exit(1);
});
