import { Resvg } from '@resvg/resvg-js';
import { AppError } from '../../errors';
import { BADGE_FONT_FAMILY, badgeFontFiles } from './badge-fonts';

export interface SvgToPngOptions {
  /** Output width in pixels; the height follows the SVG's aspect ratio. */
  width?: number;
}

const MIN_WIDTH = 16;
const MAX_WIDTH = 4096;

let fontFiles: string[] | undefined;

/** Renders SVG text to a PNG with the bundled badge fonts only (see badge-fonts.ts). */
export function svgToPng(svg: string, options: SvgToPngOptions = {}): Buffer {
  const width = options.width ?? 512;
  if (!Number.isInteger(width) || width < MIN_WIDTH || width > MAX_WIDTH) {
    throw new AppError('PNG_WIDTH_INVALID', `The image width must be a whole number from ${MIN_WIDTH} to ${MAX_WIDTH}.`, {
      details: { width },
    });
  }
  fontFiles ??= badgeFontFiles();
  let resvg: Resvg;
  try {
    resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: width },
      font: {
        loadSystemFonts: false,
        fontFiles,
        defaultFontFamily: BADGE_FONT_FAMILY,
        sansSerifFamily: BADGE_FONT_FAMILY,
      },
      logLevel: 'off',
    });
  } catch (cause) {
    throw new AppError('SVG_INVALID', 'The badge image is not a valid SVG document.', { status: 400, cause });
  }
  return resvg.render().asPng();
}
