import QRCode from 'qrcode';

/**
 * The offer link as an SVG QR code (error correction M, 4-module quiet zone as ISO/IEC 18004 asks). The SVG is
 * generated from our own link only, so it can be inlined; the page gives it a text alternative.
 */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
}

/** The same SVG as a data: URL for an <img> (the page's CSP allows data: images, and alt text is native). */
export async function qrDataUrl(text: string): Promise<string> {
  return `data:image/svg+xml;base64,${Buffer.from(await qrSvg(text), 'utf8').toString('base64')}`;
}
