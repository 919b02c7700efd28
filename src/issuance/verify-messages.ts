/** What the verification pool and its threads say to each other (verify-pool.ts, verify-worker.ts). */
export interface VerifyThreadData {
  /** Documents the offline loader serves besides the pinned contexts (the EU extension context). */
  documents: Array<[string, unknown]>;
}

/** Questions a thread asks the pool's thread, which holds the database. */
export type Question = { kind: 'did'; did: string } | { kind: 'status'; url: string };

export type ToVerifyThread =
  | { kind: 'verify'; job: number; input: Uint8Array | Record<string, unknown>; now: string }
  | { kind: 'answer'; request: number; value?: unknown; error?: string };

export type FromVerifyThread =
  | { kind: 'ask'; request: number; question: Question }
  | { kind: 'done'; job: number; result: unknown }
  | { kind: 'refused'; job: number; code: string; message: string; status: number };
