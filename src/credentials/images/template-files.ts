import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../config/paths';
import { AppError } from '../../errors';

/** Lower-case letters, digits and inner hyphens: a name that can never leave the templates folder. */
const TEMPLATE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** `badge-templates/` at the project root (also in the container image, next to dist/). */
export function defaultTemplatesDir(): string {
  return path.join(projectRoot(), 'badge-templates');
}

/** Template names (file names without `.svg`), sorted. */
export function listBadgeTemplates(dir: string = defaultTemplatesDir()): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.svg'))
    .map((e) => e.name.slice(0, -'.svg'.length))
    .filter((name) => TEMPLATE_NAME.test(name))
    .sort();
}

function unknownTemplate(name: string): AppError {
  return new AppError('BADGE_TEMPLATE_UNKNOWN', 'There is no badge design with that name.', {
    status: 400,
    details: { template: name.slice(0, 80) },
  });
}

/**
 * The SVG text of a template. The name must match the pattern AND be one of the listed files, so neither
 * `../` nor an absolute path can reach anything else.
 */
export function readBadgeTemplate(name: string, dir: string = defaultTemplatesDir()): string {
  if (typeof name !== 'string' || !TEMPLATE_NAME.test(name)) throw unknownTemplate(String(name));
  if (!listBadgeTemplates(dir).includes(name)) throw unknownTemplate(name);
  return readFileSync(path.join(dir, `${name}.svg`), 'utf8');
}
