/** What the signing pool and its threads say to each other (signing-pool.ts, signing-worker.ts). */
export interface SigningThreadData {
  /** Documents the offline loader serves besides the pinned contexts (the EU extension context). */
  documents: Array<[string, unknown]>;
}

export type ToThread =
  | { kind: 'sign'; job: number; credential: object; verificationMethod: string; now: string }
  | { kind: 'signature'; request: number; signature?: Uint8Array; error?: string };

export type ToPool =
  | { kind: 'sign-data'; job: number; request: number; data: Uint8Array }
  | { kind: 'done'; job: number; signed: Record<string, unknown> }
  | { kind: 'failed'; job: number; code: string; message: string };
