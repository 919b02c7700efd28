import { AppError } from '../errors';
import type { Locale } from '../lti/launch-context';
import { translate, translateOptional } from './i18n';

/** A Moodle failure as a teacher or registrar sees it: what failed, how, what Moodle said, what to do. */
export interface MoodleFailureView {
  code: string;
  /** e.g. "core_grades_get_gradeitems: no answer within 15000 ms". */
  what: string;
  /** Moodle's exception, errorcode and message when it sent one. */
  moodleSaid: string | null;
  advice: string;
}

/** The facts of a failed Moodle call, from the AppError the WS client raised (the token is never in them). */
export function moodleFailure(err: unknown, locale: Locale): MoodleFailureView {
  const e = err instanceof AppError ? err : null;
  const d = (e?.details ?? {}) as Record<string, unknown>;
  const code = e?.code ?? 'INTERNAL';
  const fn = typeof d['wsfunction'] === 'string' ? d['wsfunction'] : null;
  const how =
    code === 'MOODLE_TIMEOUT'
      ? translate(locale, 'moodle.failure.timeout', { ms: Number(d['timeoutMs'] ?? 0) })
      : typeof d['httpStatus'] === 'number'
        ? translate(locale, 'moodle.failure.http', { status: d['httpStatus'] })
        : (e?.message ?? translate(locale, 'moodle.failure.unknown'));
  const moodleSaid =
    typeof d['errorcode'] === 'string' ? `${String(d['exception'] ?? '')} (${d['errorcode']}): ${String(d['moodleMessage'] ?? '')}`.trim() : null;
  // Moodle's own words say how it failed; otherwise the status or the timeout does
  const what = fn && moodleSaid ? fn : fn ? `${fn}: ${how}` : how;
  const advice = translateOptional(locale, `moodle.advice.${code}`) ?? translate(locale, 'moodle.advice.other');
  return { code, what, moodleSaid, advice };
}
