import assert from 'node:assert/strict';
import request from 'supertest';
import { launchAs } from '../support/launch';
import { useRegisteredTool } from '../support/registered-tool';

describe('registrar: institution profile', () => {
  const ctx = useRegisteredTool();
  const form = {
    nameEn: 'University of Latvia',
    nameLv: 'Latvijas Universitāte',
    url: 'https://www.lu.lv',
    email: 'info@lu.lv',
    addressCountry: 'Latvia',
    addressCountryCode: 'lv',
    addressLocality: 'Rīga',
    registrationNumber: '3341000218',
  };

  it('a registrar saves the profile; it is audited and shown again', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const res = await request(ctx.tool.url)
      .post('/app/registrar/institution')
      .type('form')
      .send({ s: token, ...form });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /The institution profile is saved/);
    const page = await request(ctx.tool.url).get('/app/registrar/institution').query({ s: token });
    assert.match(page.text, /value="Latvijas Universitāte"/);
    assert.match(page.text, /value="LV"/);
    const audit = await ctx.tool.db.connection.collection('audit_log').findOne({ action: 'institution.update' });
    assert.equal(audit?.actor.userId, '2');
  });

  it('a malformed profile is refused with every problem named, and the old one kept', async () => {
    const { token } = await launchAs(ctx.tool, ctx.sim, 'admin');
    const res = await request(ctx.tool.url)
      .post('/app/registrar/institution')
      .type('form')
      .send({ s: token, ...form, url: 'http://x', email: 'nope', addressCountryCode: 'Latvia' });
    assert.equal(res.status, 400);
    for (const field of ['url', 'email', 'address.addressCountryCode']) assert.match(res.text, new RegExp(`<code>${field.replace('.', '\\.')}</code>`));
    assert.match(res.text, /value="nope"/, 'what was typed is kept in the form');
    const saved = await ctx.tool.db.connection.collection('institution_profiles').findOne({});
    assert.equal(saved?.url, 'https://www.lu.lv');
  });

  it('teachers and students cannot change it', async () => {
    for (const kind of ['teacher', 'student'] as const) {
      const { token } = await launchAs(ctx.tool, ctx.sim, kind);
      const res = await request(ctx.tool.url)
        .post('/app/registrar/institution')
        .type('form')
        .send({ s: token, ...form, nameEn: 'Hijacked' })
        .set('Accept', 'application/json');
      assert.equal(res.status, 403);
    }
    assert.equal((await ctx.tool.db.connection.collection('institution_profiles').findOne({}))?.name.en, 'University of Latvia');
  });
});
