/**
 * The README's first command on a machine without MongoDB or internet: `npm start` with no MONGODB_URI starts
 * FerretDB itself (src/store/embedded.ts), keeps its data under DATA_DIR, says so in the log and stops it on SIGTERM.
 * Runs src/main.ts as a separate process, as `npm start` runs dist/src/main.js.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/store/embedded';
import { PlatformSimulator } from '../support/platform-simulator';

const ROOT = path.resolve(__dirname, '..', '..');

interface Started {
  child: ChildProcess;
  url: string;
  /** pino's JSON log lines so far. */
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Runs the tool's main with no MONGODB_URI; resolves once it listens (or fails with its output). */
async function startMain(dataDir: string): Promise<Started> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    SIGNING_THREADS: '1',
  };
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let output = '';
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk;
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        /* not a log line */
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!lines.some((l) => String(l.msg).startsWith('listening'))) {
    if (child.exitCode !== null) assert.fail(`the tool exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      assert.fail(`the tool did not listen within 120 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, url, lines, exited };
}

/** The process runs (exists and is not a zombie). */
function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** SIGTERM to the tool; resolves with its exit code once the FerretDB it started is gone too. */
async function stopMain(started: Started, ferretPid: number): Promise<number | null> {
  started.child.kill('SIGTERM');
  const code = await started.exited;
  const deadline = Date.now() + 10_000;
  while (alive(ferretPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(ferretPid), false, `FerretDB (pid ${ferretPid}) stopped with the tool`);
  return code;
}

describe('npm start without MONGODB_URI (FerretDB started by the tool, data under DATA_DIR)', function () {
  this.timeout(300_000);
  let dataDir: string;
  let sim: PlatformSimulator;
  const running: Started[] = [];

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ob3-start-'));
    sim = await PlatformSimulator.start();
  });
  after(async () => {
    for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The log line naming the database the tool started, with FerretDB's process id. */
  const databaseLine = (s: Started) => {
    const line = s.lines.find((l) => String(l.msg).startsWith('MONGODB_URI is not set'));
    assert.ok(line, `a log line names the database: ${JSON.stringify(s.lines.map((l) => l.msg))}`);
    return line as { msg: string; database: string; serverPid: number };
  };

  it('starts FerretDB, answers /healthz, keeps a registered Moodle across a restart, and SIGTERM stops FerretDB too', async () => {
    const first = await startMain(dataDir);
    running.push(first);
    const db = databaseLine(first);
    assert.equal(db.database, 'ferretdb');
    assert.match(db.msg, /started FerretDB .ci\/bin\/ferretdb on 127\.0\.0\.1:\d+ \(SQLite files in .+\/ferretdb\)/);
    assert.ok(alive(db.serverPid), 'FerretDB runs');
    assert.equal((await request(first.url).get('/healthz')).status, 200);

    // something stored: Moodle registers the tool (Dynamic Registration)
    sim.toolUrl = first.url;
    const reg = await request(first.url).get('/lti/register').query({ openid_configuration: sim.openidConfigurationUrl, registration_token: 't' });
    assert.equal(reg.status, 200, reg.text);
    assert.equal(await stopMain(first, db.serverPid), 0, 'the tool exits cleanly on SIGTERM');
    assert.ok(readdirSync(path.join(dataDir, 'ferretdb')).length > 0, 'FerretDB keeps its files under DATA_DIR/ferretdb');

    const second = await startMain(dataDir);
    running.push(second);
    const again = databaseLine(second);
    assert.equal(again.database, 'ferretdb');
    assert.notEqual(again.serverPid, db.serverPid);
    // the registration survived: a login from that Moodle is accepted (an unknown site gets 400 LTI_PLATFORM_UNKNOWN)
    sim.toolUrl = second.url;
    const login = await request(second.url)
      .post('/lti/login')
      .type('form')
      .send(sim.loginForm('4', { target_link_uri: `${second.url}/lti/launch` }));
    assert.equal(login.status, 302, login.text);
    assert.equal(await stopMain(second, again.serverPid), 0);
  });
});
