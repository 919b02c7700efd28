import { AppError } from '../../errors';

/**
 * did:web identifiers (W3C CCG did:web method, "Create"/"Read"): the host (with a port percent-encoded as %3A),
 * then each path segment, joined by ':'. `https://badges.example.edu` → `did:web:badges.example.edu`,
 * `http://localhost:3000` → `did:web:localhost%3A3000`, `https://host/a/b` → `did:web:host:a:b`.
 */
export function didWebFromUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new AppError('did_web_invalid_url', `Not an absolute URL: ${baseUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('did_web_invalid_url', `did:web needs an http(s) URL, not ${url.protocol}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError('did_web_invalid_url', 'did:web URLs carry no credentials, query or fragment');
  }
  // URL has already lower-cased the host and dropped a default port
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const segments = url.pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      const decoded = safeDecode(s);
      if (decoded === null) throw new AppError('did_web_invalid_url', `Malformed path segment in ${baseUrl}`);
      return encodeURIComponent(decoded); // a ':' inside a segment must not read as a separator
    });
  return ['did', 'web', host, ...segments].join(':');
}

/**
 * Where a did:web document is served: `https://host[:port]/.well-known/did.json` without a path, else
 * `https://host[:port]/path/did.json`. Null when `did` is not a did:web identifier.
 */
export function didWebDocumentUrl(did: string): string | null {
  const match = /^did:web:([^:#?/]+)((?::[^:#?/]+)*)$/.exec(did);
  if (!match) return null;
  const host = safeDecode(match[1]!);
  const path = match[2] ? match[2].slice(1).split(':').map(safeDecode) : [];
  if (host === null || path.some((s) => s === null)) return null;
  return path.length ? `https://${host}/${path.map((s) => encodeURIComponent(s!)).join('/')}/did.json` : `https://${host}/.well-known/did.json`;
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
