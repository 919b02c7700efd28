/**
 * Moodle's REST server (webservice/rest/locallib.php, send_error) answers failures with HTTP 200 and
 * `{"exception","errorcode","message"[,"debuginfo"]}`. These helpers turn that shape into typed AppErrors.
 */
import { AppError } from '../../errors.js';
import { safeSnippet } from '../platform-services/http.js';
import { MoodleErrorCode } from './error-codes.js';

export interface MoodleException {
  exception: string;
  errorcode: string;
  message: string;
  debuginfo?: string;
}

export function isMoodleException(body: unknown): body is MoodleException {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return typeof b['exception'] === 'string' && typeof b['errorcode'] === 'string';
}

/**
 * Error codes meaning "the token/user/service may not do this". `accessexception` is webservice_access_exception
 * (also what a function missing from the service gives, see FUNCTION_MISSING); `invalidtoken`/`invalidtimedtoken`
 * come from webservice::authenticate_user(); the others are capability or login checks inside the functions.
 */
const ACCESS_CODES: ReadonlySet<string> = new Set([
  'accessexception',
  'invalidtoken',
  'invalidtimedtoken',
  'invalidtokensession',
  'invalidiptoken',
  'servicerequireslogin',
  'servicenotavailable',
  'usernotallowed',
  'nopermissions',
  'requireloginerror',
  'nopermissiontoviewgrades',
  // core_completion_get_course_completion_status without report/completion:view (the data source skips the
  // call when the course has completion off, the other cause of this code).
  'cannotviewreport',
  'wsaccessuserdeleted',
  'wsaccessusersuspended',
  'wsaccessusernologin',
  'wsaccessuserexpired',
]);

/** `usernotenroled` (core_completion_get_course_completion_status for a non-tracked user, e.g. a teacher). */
const NOT_ENROLLED_CODES: ReadonlySet<string> = new Set(['usernotenroled', 'notenroled']);

export interface ExceptionContext {
  wsfunction: string;
  /** Redacted endpoint, for details. */
  url: string;
  secrets: readonly string[];
  /**
   * For `accessexception`: whether the function is absent from core_webservice_get_site_info's `functions`
   * (true), present (false) or unknown (undefined: site info could not be read).
   */
  functionMissing?: boolean;
}

export function moodleExceptionError(ex: MoodleException, ctx: ExceptionContext): AppError {
  const message = safeSnippet(ex.message ?? '', ctx.secrets);
  const details: Record<string, unknown> = {
    wsfunction: ctx.wsfunction,
    url: ctx.url,
    exception: safeSnippet(ex.exception, ctx.secrets, 120),
    errorcode: safeSnippet(ex.errorcode, ctx.secrets, 120),
    moodleMessage: message,
  };
  if (ex.errorcode === 'accessexception' && ctx.functionMissing === true) {
    return new AppError(
      MoodleErrorCode.FUNCTION_MISSING,
      `Web-service function ${ctx.wsfunction} is not in the token's external service: add it in Site administration > Server > Web services > External services`,
      { status: 502, details: { ...details, missingFunctions: [ctx.wsfunction] } },
    );
  }
  if (ACCESS_CODES.has(ex.errorcode) || ex.exception === 'webservice_access_exception' || ex.exception.endsWith('required_capability_exception')) {
    return new AppError(MoodleErrorCode.ACCESS_DENIED, `Moodle refused ${ctx.wsfunction} (${details['errorcode']}): ${message}`, {
      status: 502,
      details,
    });
  }
  if (NOT_ENROLLED_CODES.has(ex.errorcode)) {
    return new AppError(MoodleErrorCode.USER_NOT_ENROLLED, `Moodle: the user is not a tracked user of the course (${ctx.wsfunction})`, {
      status: 404,
      details,
    });
  }
  return new AppError(MoodleErrorCode.WS_ERROR, `Moodle ${ctx.wsfunction} failed (${details['errorcode']}): ${message}`, {
    status: 502,
    details,
  });
}
