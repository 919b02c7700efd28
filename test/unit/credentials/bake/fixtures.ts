/** The 1EdTech validator's baked samples (copied into test/fixtures/ob3/baked, see SOURCE.md there). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const BAKED_DIR = path.join(__dirname, '../../../fixtures/ob3/baked');

export const bakedSample = (file: string) => readFileSync(path.join(BAKED_DIR, file));

/** What a sample carries, cut out independently of the code under test: parsed JSON or the exact JWS. */
export function expectedContent(file: string): Record<string, unknown> | string {
  const text = readFileSync(path.join(BAKED_DIR, file), 'utf8');
  return file.endsWith('.json') ? (JSON.parse(text) as Record<string, unknown>) : text;
}

export const SAMPLES = [
  { file: 'simple-json', expected: 'json' },
  { file: 'simple-jwt', expected: 'jws' },
  { file: 'simple-jwt_v1', expected: 'jws' },
] as const;
