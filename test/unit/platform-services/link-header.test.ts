import assert from 'node:assert/strict';
import { parseLinkHeader, repairLinkHeader } from '../../../src/lms/platform-services/link-header.js';
// source: /work/shared/moodle-fixtures/ags-nrps-service-exchanges.json (see _source in the file)
import headers from './fixtures/moodle-link-headers.json';

const MOODLE_AGS = headers.agsLineItemsPaging.link;
const PAGE = (from: number) => `http://127.0.0.1:8080/mod/lti/services.php/2/lineitems?type_id=1&limit=1&from=${from}`;
const EXPECTED_AGS = { first: PAGE(0), canonical: PAGE(0), next: PAGE(1), last: PAGE(2) };

/** What Node's fetch (undici) hands over: every header byte as one latin1 char. */
const asLatin1Bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
/** The same bytes as a windows-1252 viewer shows them: “ → "â€œ", ” → "â€\x9d". */
const asCp1252 = (s: string) => s.replace(/\u201c/g, '\u00e2\u20ac\u0153').replace(/\u201d/g, '\u00e2\u20ac\u009d');

describe('platform-services/link-header', () => {
  describe('fixture sanity', () => {
    it('the captured Moodle AGS header really has curly quotes and &amp;', () => {
      assert.match(MOODLE_AGS, /rel=\u201cnext\u201d/);
      assert.match(MOODLE_AGS, /&amp;limit=1/);
    });
  });

  it('parses a plain RFC 8288 header (Moodle NRPS)', () => {
    assert.deepEqual(parseLinkHeader(headers.nrpsMembershipsPaging.link), {
      next: 'http://127.0.0.1:8080/mod/lti/services.php/CourseSection/2/bindings/1/memberships?limit=2&from=2',
    });
  });

  it("repairs Moodle's captured AGS header (curly quotes + &amp;)", () => {
    assert.deepEqual(parseLinkHeader(MOODLE_AGS), EXPECTED_AGS);
  });

  it('repair: real Unicode curly quotes around rel', () => {
    // no &amp; here: only the quote repair is exercised
    assert.deepEqual(parseLinkHeader('<https://lms.example/li?from=1>; rel=\u201cnext\u201d'), { next: 'https://lms.example/li?from=1' });
  });

  it('repair: latin1 mojibake of the curly quotes (raw UTF-8 bytes read one char per byte)', () => {
    const raw = '<https://lms.example/li?from=1>; rel=\u00e2\u0080\u009cnext\u00e2\u0080\u009d';
    assert.equal(raw, asLatin1Bytes('<https://lms.example/li?from=1>; rel=\u201cnext\u201d'));
    assert.deepEqual(parseLinkHeader(raw), { next: 'https://lms.example/li?from=1' });
  });

  it('repair: windows-1252 rendering of the mojibake ("â€œ" / "â€\\x9d")', () => {
    const raw = '<https://lms.example/li?from=1>; rel=\u00e2\u20ac\u0153next\u00e2\u20ac\u009d';
    assert.deepEqual(parseLinkHeader(raw), { next: 'https://lms.example/li?from=1' });
  });

  it('repair: HTML-escaped &amp; inside the URL (ASCII quotes)', () => {
    assert.deepEqual(parseLinkHeader('<https://lms.example/li?type_id=1&amp;limit=1&amp;from=1>; rel="next"'), {
      next: 'https://lms.example/li?type_id=1&limit=1&from=1',
    });
  });

  it('the full Moodle header as fetch delivers it (latin1 bytes) and as cp1252 text', () => {
    assert.deepEqual(parseLinkHeader(asLatin1Bytes(MOODLE_AGS)), EXPECTED_AGS);
    assert.deepEqual(parseLinkHeader(asCp1252(MOODLE_AGS)), EXPECTED_AGS);
  });

  it('repairLinkHeader normalises every form to ASCII quotes and leaves &amp; to the URL parser', () => {
    const clean = MOODLE_AGS.replace(/[\u201c\u201d]/g, '"');
    assert.equal(repairLinkHeader(MOODLE_AGS), clean);
    assert.equal(repairLinkHeader(asLatin1Bytes(MOODLE_AGS)), clean);
    assert.equal(repairLinkHeader(asCp1252(MOODLE_AGS)), clean);
  });

  describe('general parsing', () => {
    it('returns {} for empty / missing headers', () => {
      assert.deepEqual(parseLinkHeader(''), {});
      assert.deepEqual(parseLinkHeader(null), {});
      assert.deepEqual(parseLinkHeader(undefined), {});
    });

    it('handles several rels in one param, unquoted rels, case and extra params with commas', () => {
      const raw = '<https://a/1>; title="a, b; c"; rel="Next LAST", <https://a/0>;rel=prev;type="x"';
      assert.deepEqual(parseLinkHeader(raw), { next: 'https://a/1', last: 'https://a/1', prev: 'https://a/0' });
    });

    it('keeps the first link of a rel and skips malformed link-values', () => {
      const raw = 'garbage; rel="next", <https://a/1>; rel="next", <https://a/2>; rel="next", <https://a/3>; noRel';
      assert.deepEqual(parseLinkHeader(raw), { next: 'https://a/1' });
    });

    it('does not touch genuine latin1 text that is not UTF-8 mojibake', () => {
      assert.deepEqual(parseLinkHeader('<https://a/1>; title="caf\u00e9"; rel="next"'), { next: 'https://a/1' });
    });

    it('a rel named __proto__ does not pollute the prototype', () => {
      const links = parseLinkHeader('<https://a/1>; rel="__proto__"');
      assert.equal(Object.getPrototypeOf(links), Object.prototype);
      assert.equal(Object.prototype.hasOwnProperty.call(links, '__proto__'), true);
      assert.equal(Object.getOwnPropertyDescriptor(links, '__proto__')?.value, 'https://a/1');
    });
  });
});
