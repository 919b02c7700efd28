import assert from 'node:assert/strict';
import { normaliseLaunch, pickLocale } from '../../../src/lti/normalise';
import teacher from '../../fixtures/moodle/id-token-teacher-resource-link.json';
import dynamicStudent from '../../fixtures/moodle/id-token-student-new-window-dynamic-tool.json';
import deepLinking from '../../fixtures/moodle/id-token-deep-linking-request.json';

const platform = { id: 'p1', clientId: 'vZOkpoZF2bDqSgr' };

describe('normaliseLaunch (captured Moodle 4.5.6 id_tokens)', () => {
  it('teacher resource link: course = context.id, user = sub, AGS and NRPS endpoints', () => {
    const c = normaliseLaunch(teacher.id_token.payload as never, platform, false);
    assert.equal(c.courseId, '2');
    assert.equal(c.courseTitle, 'Open Badges Demo Course');
    assert.equal(c.userId, '3');
    assert.equal(c.userName, 'Tina Teacher');
    assert.equal(c.email, 'teacher1@example.com');
    assert.deepEqual(c.roles, ['teacher']);
    assert.equal(c.deploymentId, '1');
    assert.equal(c.resourceLink?.id, '1');
    assert.equal(c.custom.badge_id, 'course-finisher');
    assert.equal(c.documentTarget, 'iframe');
    assert.equal(c.ags?.lineItemUrl, 'http://127.0.0.1:8080/mod/lti/services.php/2/lineitems/4/lineitem?type_id=1');
    assert.equal(c.nrps?.contextMembershipsUrl, 'http://127.0.0.1:8080/mod/lti/services.php/CourseSection/2/bindings/1/memberships');
    assert.equal(c.deepLinking, null);
  });
  it('new-window launch of the dynamically registered tool', () => {
    const c = normaliseLaunch(dynamicStudent.id_token.payload as never, platform, false);
    assert.equal(c.documentTarget, 'window');
    assert.deepEqual(c.roles, ['student']);
    assert.equal(c.custom.badge_context, '2');
  });
  it('deep linking request keeps its settings', () => {
    const c = normaliseLaunch(deepLinking.id_token.payload as never, platform, false);
    assert.equal(c.messageType, 'LtiDeepLinkingRequest');
    assert.ok(c.deepLinking?.returnUrl.includes('/mod/lti/contentitem_return.php'));
    assert.ok(c.deepLinking?.acceptTypes.includes('ltiResourceLink'));
    assert.equal(c.resourceLink, null);
  });
  it('locale: Latvian variants → lv, everything else → en', () => {
    assert.equal(pickLocale('lv'), 'lv');
    assert.equal(pickLocale('lv_LV'), 'lv');
    assert.equal(pickLocale('lv-LV'), 'lv');
    assert.equal(pickLocale('en'), 'en');
    assert.equal(pickLocale('lt'), 'en');
    assert.equal(pickLocale('lvx'), 'en');
    assert.equal(pickLocale(null), 'en');
  });
});
