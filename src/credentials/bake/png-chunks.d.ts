// png-chunks-extract / png-chunks-encode ship no types. A chunk is its 4-letter type and its data;
// lengths and CRCs are read and written by the libraries.
declare module 'png-chunks-extract' {
  function extractChunks(data: Uint8Array): Array<{ name: string; data: Uint8Array }>;
  export = extractChunks;
}
declare module 'png-chunks-encode' {
  function encodeChunks(chunks: ReadonlyArray<{ name: string; data: Uint8Array }>): Uint8Array;
  export = encodeChunks;
}
