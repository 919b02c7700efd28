/** A realistic OB 3.0 AchievementCredential for proof tests: image, result description, result, validity window. */
export function sampleCredential(issuerId: string, overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:2f1d8c36-6d1a-4c53-9f1e-0d0c2b8c9a11',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuerId, type: ['Profile'], name: 'Example University' },
    validFrom: '2025-01-01T00:00:00Z',
    validUntil: '2035-01-01T00:00:00Z',
    name: 'Introduction to Databases',
    credentialSubject: {
      id: 'did:example:learner-42',
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://badges.example.edu/achievements/101',
        type: ['Achievement'],
        name: 'Introduction to Databases',
        description: 'Completed every module of the course with a passing grade.',
        criteria: { narrative: 'Finish all modules and reach 60 % in the final test.' },
        image: { id: 'https://badges.example.edu/images/101.png', type: 'Image' },
        resultDescription: [{ id: 'urn:uuid:7c0f5a40-1d5f-4a43-8a3f-5f6e1b9e0c01', type: ['ResultDescription'], name: 'Final grade', resultType: 'Percent' }],
      },
      result: [{ type: ['Result'], resultDescription: 'urn:uuid:7c0f5a40-1d5f-4a43-8a3f-5f6e1b9e0c01', value: '87' }],
    },
    ...overrides,
  };
}
