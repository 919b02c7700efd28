import assert from 'node:assert/strict';
import { didWebDocumentUrl, didWebFromUrl } from '../../../../src/credentials/keys';
import { AppError } from '../../../../src/errors';

describe('did:web identifiers', () => {
  const cases: Array<[string, string, string]> = [
    ['https://badges.example.edu', 'did:web:badges.example.edu', 'https://badges.example.edu/.well-known/did.json'],
    ['https://badges.example.edu/', 'did:web:badges.example.edu', 'https://badges.example.edu/.well-known/did.json'],
    ['http://localhost:3000', 'did:web:localhost%3A3000', 'https://localhost:3000/.well-known/did.json'],
    ['https://Host.Example.EDU/path/seg', 'did:web:host.example.edu:path:seg', 'https://host.example.edu/path/seg/did.json'],
    ['https://host.example:8443/issuers/p-1/', 'did:web:host.example%3A8443:issuers:p-1', 'https://host.example:8443/issuers/p-1/did.json'],
    ['https://host.example/a%3Ab', 'did:web:host.example:a%3Ab', 'https://host.example/a%3Ab/did.json'],
    ['https://host.example:443/x', 'did:web:host.example:x', 'https://host.example/x/did.json'],
  ];
  for (const [url, did, documentUrl] of cases) {
    it(`${url} → ${did} (served at ${documentUrl})`, () => {
      assert.equal(didWebFromUrl(url), did);
      assert.equal(didWebDocumentUrl(did), documentUrl);
    });
  }

  it('refuses what is not an http(s) base URL', () => {
    for (const bad of ['badges.example.edu', 'ftp://host/x', 'https://host/?q=1', 'https://host/#frag', 'https://user:pw@host/']) {
      assert.throws(
        () => didWebFromUrl(bad),
        (e: unknown) => e instanceof AppError && e.code === 'did_web_invalid_url',
        bad,
      );
    }
  });

  it('has no document URL for other DIDs or DID URLs', () => {
    for (const other of ['did:key:z6Mkabc', 'did:web:', 'did:web:host#key-1', 'https://host', 'did:web:host:%E0%A4%A']) {
      assert.equal(didWebDocumentUrl(other), null, other);
    }
  });
});
