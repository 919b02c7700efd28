/**
 * `npm run demo -- --auto`: the whole journey over HTTP, as the three people would click it, every step checked.
 * Teacher: Check now, the sync completes, learners get their decisions. Student 4: claim preview, claim with the
 * name shown, the verified credential page, downloads (JSON, JWT, PNG, SVG) saved and verified by the tool's
 * verify API; a wallet (OpenID4VCI) claims its own copy bound to a did:jwk, which verifies. Student 5: in progress and refused. Registrar: the credential list and every export format. Nothing
 * is revoked.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DemoMoodle } from '../../test/support/demo-moodle';
import { DEMO_BADGE_NAME, getPage, HttpError, launchOverHttp, postForm, summarise } from '../../test/support/demo-http';
import { claimWalletCopy } from './wallet';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'zip', 'clr'] as const;

export interface JourneyInput {
  toolUrl: string;
  moodle: DemoMoodle;
  platformId: string;
  badgeId: string;
  outDir: string;
  log: (line: string) => void;
}

export interface JourneyResult {
  credentialUrl: string;
  files: string[];
  exports: { done: boolean; note: string };
  issuerProfileUrl: string;
  didDocumentUrl: string;
  statusListUrl: string;
}

const text = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function download(url: string, what: string): Promise<{ body: Buffer; filename: string | null; type: string }> {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new HttpError(what, res.status, body.toString('utf8'));
  const disposition = res.headers.get('content-disposition') ?? '';
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? null;
  return { body, filename, type: res.headers.get('content-type') ?? '' };
}

async function verify(toolUrl: string, body: Buffer): Promise<{ verified: boolean; checks: Array<{ check: string; ok: boolean; message?: string }> }> {
  const res = await fetch(`${toolUrl}/api/verify`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(body) });
  const answer = await res.text();
  if (res.status !== 200) throw new HttpError('the verify API (/api/verify)', res.status, answer);
  return JSON.parse(answer);
}

export async function runJourney(input: JourneyInput): Promise<JourneyResult> {
  const { toolUrl, moodle, platformId, badgeId, outDir, log } = input;
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  const save = async (name: string, body: Buffer | string) => {
    const file = path.join(outDir, name);
    await writeFile(file, body);
    files.push(file);
    return file;
  };

  // Teacher: Check now
  const teacher = await launchOverHttp(toolUrl, moodle, '3');
  const teacherHome = text(await getPage(`${toolUrl}/app/teacher`, teacher.token, 'the teacher page'));
  check(teacherHome.includes(DEMO_BADGE_NAME.en), `the teacher page does not list the badge "${DEMO_BADGE_NAME.en}": ${summarise(teacherHome)}`);
  const sync = await postForm(`${toolUrl}/app/teacher/sync`, teacher.token, {});
  if (sync.status !== 303) throw new HttpError('Check now (POST /app/teacher/sync)', sync.status, sync.text);
  type Run = {
    status: string;
    learnersTotal: number;
    learnersDone: number;
    learnersSkipped: number;
    learnersFailed: unknown[];
    error?: { code: string; message: string } | null;
  };
  let run: Run | null;
  const deadline = Date.now() + 60_000;
  for (;;) {
    run = (JSON.parse(await getPage(`${toolUrl}/app/teacher/sync/status`, teacher.token, 'the sync status', 'application/json')) as { run: Run | null }).run;
    if (run && run.status !== 'running') break;
    check(Date.now() < deadline, `the sync did not finish within 60 s (last status: ${JSON.stringify(run)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
  check(run.status === 'completed', `the sync ended "${run.status}": ${run.error ? `${run.error.code} ${run.error.message}` : JSON.stringify(run)}`);
  check(run.learnersFailed.length === 0, `the sync could not decide for ${run.learnersFailed.length} learner(s): ${JSON.stringify(run.learnersFailed)}`);
  log(`✔ teacher (Tina, user 3) pressed Check now: the sync completed, ${run.learnersTotal} learners checked`);
  const learners = text(await getPage(`${toolUrl}/app/teacher/badges/${badgeId}`, teacher.token, "the badge's learners page"));
  for (const [name, status] of [
    ['Sam Student', 'Earned'],
    ['Sara Student', 'In progress'],
    ['Stan Student', 'Not started'],
  ] as const)
    check(new RegExp(`${name} ${status}`).test(learners), `the learners page should show "${name} ${status}": ${summarise(learners, 600)}`);
  log('✔ teacher sees the learners: Sam Student earned, Sara Student in progress, Stan Student not started');

  // Student 4: claim with the name shown
  const student = await launchOverHttp(toolUrl, moodle, '4');
  const studentHome = await getPage(`${toolUrl}/app/student`, student.token, "Sam's student page");
  const claimPath = new RegExp(`href="(/app/student/badges/${badgeId}/claim)\\?s=`).exec(studentHome)?.[1];
  check(claimPath, `Sam's page offers no claim link for the badge: ${summarise(text(studentHome))}`);
  const preview = text(await getPage(`${toolUrl}${claimPath}`, student.token, 'the claim preview'));
  check(preview.includes(DEMO_BADGE_NAME.en) && preview.includes('Sam Student'), `the claim preview should name the badge and Sam: ${summarise(preview)}`);
  const claim = await postForm(`${toolUrl}${claimPath}`, student.token, { showName: '1' });
  if (claim.status !== 303 || !claim.location) throw new HttpError('the claim (POST …/claim)', claim.status, claim.text);
  const credentialUrl = new URL(claim.location, toolUrl);
  credentialUrl.search = '';
  const page = text(await getPage(`${credentialUrl}?lang=en`, null, 'the credential page'));
  check(page.includes('Verified: this credential is authentic and valid.'), `the credential page does not say it is verified: ${summarise(page, 800)}`);
  check(page.includes('Sam Student'), `the credential page should show the learner's name (claimed with "show my name"): ${summarise(page, 800)}`);
  log(`✔ student (Sam, user 4) claimed the badge with the name shown; the credential page says Verified: ${credentialUrl}`);

  const credential = JSON.parse((await download(`${credentialUrl}/credential.json`, 'credential.json')).body.toString('utf8')) as {
    issuer: { id: string };
    credentialStatus?: { statusListCredential?: string } | Array<{ statusListCredential?: string }>;
    credentialSubject: {
      achievement: { resultDescription?: Array<{ id: string; name: string; valueMax?: string }> };
      result?: Array<{ resultDescription: string; value?: string }>;
    };
  };
  const stated = (credential.credentialSubject.result ?? []).map((r) => {
    const d = credential.credentialSubject.achievement.resultDescription?.find((x) => x.id === r.resultDescription);
    return `${d?.name}: ${r.value}${d?.valueMax ? ` / ${d.valueMax}` : ''}`;
  });
  check(stated.length > 0, 'the credential states no results');
  log(`✔ the credential states its results: ${stated.join('; ')}`);
  for (const form of ['credential.json', 'credential.jwt', 'badge.png', 'badge.svg']) {
    const file = await download(`${credentialUrl}/${form}`, form);
    check(file.body.length > 0, `${form} is empty`);
    const saved = await save(form, file.body);
    const result = await verify(toolUrl, file.body);
    check(result.verified, `${form} does not verify: ${JSON.stringify(result.checks.filter((c) => !c.ok))}`);
    log(`✔ downloaded ${form} (${file.body.length} bytes) → ${saved}, and it verifies`);
  }
  const copy = await claimWalletCopy(toolUrl, student.token, credentialUrl.pathname.split('/').pop()!);
  const copyVerified = await verify(toolUrl, Buffer.from(copy.jwt));
  check(copyVerified.verified, `the wallet copy does not verify: ${JSON.stringify(copyVerified.checks.filter((c) => !c.ok))}`);
  log(
    `✔ a wallet (OpenID4VCI) claimed its own copy bound to ${copy.did.slice(0, 32)}…, and it verifies → ${await save('wallet-copy.jwt', Buffer.from(copy.jwt))}`,
  );

  // Student 5: not earned
  const failed = await launchOverHttp(toolUrl, moodle, '5');
  const failedHome = text(await getPage(`${toolUrl}/app/student`, failed.token, "Sara's student page"));
  check(/In progress/.test(failedHome), `Sara's page should say the badge is in progress: ${summarise(failedHome)}`);
  const refused = await fetch(`${toolUrl}/app/student/badges/${badgeId}/claim?s=${encodeURIComponent(failed.token)}`, {
    headers: { Accept: 'application/json' },
  });
  check(refused.status === 409, `Sara's claim preview should be refused with 409, got ${refused.status}`);
  await refused.text();
  log('✔ student (Sara, user 5) sees the badge in progress (Essay 1 not passed) and cannot claim it');

  // Registrar: the credential list and the exports
  const registrar = await launchOverHttp(toolUrl, moodle, '2');
  const list = JSON.parse(await getPage(`${toolUrl}/app/registrar/credentials`, registrar.token, "the registrar's credential list", 'application/json')) as {
    credentials: Array<{ id: string; status: string; name: string }>;
  };
  const credentialId = credentialUrl.pathname.split('/').pop()!;
  const listed = list.credentials.find((c) => c.id === credentialId);
  check(listed?.status === 'active', `the registrar's list should hold the credential as active: ${JSON.stringify(list.credentials)}`);
  log(`✔ registrar (Admin User, user 2) lists ${list.credentials.length} credential(s), the new one active`);

  let exportsDone = true;
  let note = '';
  for (const format of EXPORT_FORMATS) {
    const url = `${toolUrl}/app/registrar/export?format=${format}&s=${encodeURIComponent(registrar.token)}`;
    const res = await fetch(url);
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status === 404 && format === EXPORT_FORMATS[0] && /"NOT_FOUND"|There is no page at this address/.test(body.toString('utf8'))) {
      exportsDone = false;
      note =
        'SKIPPED: registrar exports — GET /app/registrar/export is not mounted in this build (src/http/routes/registrar-export/ is not wired into src/app.ts yet)';
      log(`⚠ ${note}`);
      break;
    }
    if (res.status !== 200) throw new HttpError(`the ${format} export (GET /app/registrar/export?format=${format})`, res.status, body.toString('utf8'));
    const disposition = res.headers.get('content-disposition') ?? '';
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `credentials.${format === 'clr' ? 'clr.json' : format}`;
    check(body.length > 0, `the ${format} export is empty`);
    if (format === 'zip') check(body.subarray(0, 2).toString('latin1') === 'PK', 'the zip export is not a ZIP file');
    if (format === 'jsonl' || /jsonl|json/.test(res.headers.get('content-type') ?? ''))
      body
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim())
        .forEach((line, i) => {
          try {
            JSON.parse(line);
          } catch {
            throw new Error(`line ${i + 1} of the ${format} export is not JSON: ${line.slice(0, 120)}`);
          }
        });
    if (format === 'csv')
      check(body.toString('utf8').includes(credentialId) || body.toString('utf8').split('\n').length >= 2, 'the CSV export has no row for the credential');
    const saved = await save(path.basename(name), body);
    log(`✔ registrar exported ${format} (${res.headers.get('content-type')}, ${body.length} bytes) → ${saved}`);
  }
  if (exportsDone) note = `exported ${EXPORT_FORMATS.join(', ')}`;

  // Public, verifiable-anywhere URLs
  const issuerProfileUrl = `${toolUrl}/issuers/${platformId}`;
  const didDocumentUrl = `${toolUrl}/issuers/${platformId}/did.json`;
  const status = Array.isArray(credential.credentialStatus) ? credential.credentialStatus[0] : credential.credentialStatus;
  const statusListUrl = status?.statusListCredential ?? '';
  check(statusListUrl, 'the credential names no status list');
  for (const [what, url] of [
    ['issuer profile', issuerProfileUrl],
    ['DID document', didDocumentUrl],
    ['status list', statusListUrl],
  ] as const) {
    const res = await fetch(url);
    const body = await res.text();
    if (res.status !== 200) throw new HttpError(`the ${what} (${url})`, res.status, body);
    JSON.parse(body);
  }
  log('✔ the issuer profile, DID document and status list are published');
  return { credentialUrl: credentialUrl.toString(), files, exports: { done: exportsDone, note }, issuerProfileUrl, didDocumentUrl, statusListUrl };
}
