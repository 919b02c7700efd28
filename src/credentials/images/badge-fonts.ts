import { readdirSync } from 'node:fs';
import path from 'node:path';
import { defaultTemplatesDir } from './template-files';

/**
 * The fonts badges are drawn with: the files in `badge-templates/fonts/` (DejaVu Sans Condensed, free
 * licence, full Latvian and Latin Extended-A coverage). resvg gets only these and no system fonts, so a
 * badge looks the same on a developer machine, in CI and in the slim container image, which has no fonts.
 */
export const BADGE_FONT_FAMILY = 'DejaVu Sans';

export function badgeFontFiles(templatesDir: string = defaultTemplatesDir()): string[] {
  const dir = path.join(templatesDir, 'fonts');
  return readdirSync(dir)
    .filter((file) => /\.(ttf|otf)$/i.test(file))
    .sort()
    .map((file) => path.join(dir, file));
}
