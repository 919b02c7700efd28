/**
 * Stable error codes of the Moodle web-service data source. Callers branch on `code`, never on the message.
 * The web-service token never appears in messages or details.
 */
export const MoodleErrorCode = {
  /** Token invalid/expired, web services or REST disabled (HTTP 403 from server.php), or a capability is missing (502: the tool's setup on Moodle, not the caller, is wrong). */
  ACCESS_DENIED: 'MOODLE_WS_ACCESS_DENIED',
  /** The function is not in the token's external service; details.missingFunctions names it (502). */
  FUNCTION_MISSING: 'MOODLE_WS_FUNCTION_MISSING',
  /** `usernotenroled`: the user is not a tracked (enrolled, student-like) user of the course (404). */
  USER_NOT_ENROLLED: 'MOODLE_WS_USER_NOT_ENROLLED',
  /** Any other Moodle exception; details carry exception and errorcode (502). */
  WS_ERROR: 'MOODLE_WS_ERROR',
  /** Network failure or 5xx/429 after the retries (502). */
  UNREACHABLE: 'MOODLE_UNREACHABLE',
  /** No answer within the per-request timeout (504). */
  TIMEOUT: 'MOODLE_TIMEOUT',
  /** Not JSON, unexpected HTTP status, or a field of the wrong type; details.field names it (502). */
  BAD_RESPONSE: 'MOODLE_BAD_RESPONSE',
  /** core_course_get_courses_by_field found no such course (404). */
  COURSE_NOT_FOUND: 'MOODLE_COURSE_NOT_FOUND',
  /** The caller passed something unusable: a non-numeric id, a bad site URL… (400). */
  INVALID_ARGUMENT: 'MOODLE_INVALID_ARGUMENT',
} as const;

export type MoodleErrorCode = (typeof MoodleErrorCode)[keyof typeof MoodleErrorCode];

/** Codes that say "this platform is not usable right now": a batch stops instead of failing learner by learner. */
export const SYSTEMIC_MOODLE_ERRORS: ReadonlySet<string> = new Set([
  MoodleErrorCode.ACCESS_DENIED,
  MoodleErrorCode.FUNCTION_MISSING,
  MoodleErrorCode.UNREACHABLE,
  MoodleErrorCode.TIMEOUT,
  MoodleErrorCode.BAD_RESPONSE,
]);
