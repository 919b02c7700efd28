import assert from 'node:assert/strict';
import { escapeXml, unescapeXml } from '../../../../src/credentials/images/xml-text';

describe('escapeXml / unescapeXml', () => {
  it('escapes markup characters and both quotes, and reverses them', () => {
    const text = `<script>alert("x")</script> & 'ģ'`;
    const escaped = escapeXml(text);
    assert.equal(escaped, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;ģ&apos;');
    assert.equal(unescapeXml(escaped), text);
  });

  it('drops characters XML 1.0 cannot hold and resolves character references', () => {
    assert.equal(escapeXml('a\u0000b\u0007c\uFFFFd\uD800e'), 'abcde');
    assert.equal(escapeXml('tab\tnew\nline'), 'tab\tnew\nline');
    assert.equal(unescapeXml('&#x101;&#269;&unknown;'), 'āč&unknown;');
  });
});
