/** Moodle web-service data source: see data-source.ts for the call budget, ws-client.ts for the transport. */
export { MoodleDataSource, createMoodleDataSource, toMoodleId, type MoodleDataSourceOptions } from './data-source.js';
export { MoodleErrorCode, SYSTEMIC_MOODLE_ERRORS } from './error-codes.js';
export { learnerFingerprint, type FingerprintInput } from './fingerprint.js';
export * as moodleFunctions from './functions.js';
export { REQUIRED_FUNCTIONS, type WsCaller } from './functions.js';
export { PlatformLimiters, Semaphore, defaultPlatformLimiters } from './semaphore.js';
export { MoodleWsClient, WS_DEFAULTS, type MoodleWsClientOptions, type WsLogger } from './ws-client.js';
