/** Test data for the baking tests: a realistic, ~10 KB Latvian/English credential and a real VC-JWT. */
import { generateKeyPair, SignJWT } from 'jose';

const LV_LETTERS = 'ā č ē ģ ī ķ ļ ņ š ū ž Ā Č Ē Ģ Ī Ķ Ļ Ņ Š Ū Ž';

const outcomes = [
  'Izskaidro mašīnmācīšanās pamatjēdzienus: uzraudzītā un neuzraudzītā mācīšanās, pārmācīšanās, šķērsvalidācija.',
  'Sagatavo datu kopu analīzei: trūkstošo vērtību apstrāde, kategoriju kodēšana, normalizēšana un ģenerēšana.',
  'Izvēlas piemērotu modeli uzdevumam un pamato izvēli ar kvalitātes rādītājiem (precizitāte, F1, ROC līkne).',
  'Novērtē modeļa ētiskos un juridiskos aspektus, tai skaitā personas datu aizsardzību saskaņā ar VDAR.',
  'Prezentē rezultātus auditorijai latviešu un angļu valodā, argumentējot secinājumus ar datiem.',
  'Sadarbojas komandā, sadala pienākumus un dokumentē darbu versiju kontroles sistēmā (Git, pārskati, zari).',
];

export function realisticCredential(): Record<string, unknown> {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
    ],
    id: 'urn:uuid:6f1b2c9e-2f4a-4f2e-9a51-0c7d2b1e8a44',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Mākslīgā intelekta pamati — mikrokvalifikācija',
    description: `Apliecinājums par mikrokvalifikācijas apguvi. Burti: ${LV_LETTERS}.`,
    issuer: {
      id: 'https://badges.lu.lv/issuers/datorikas-fakultate',
      type: ['Profile'],
      name: 'Latvijas Universitāte, Datorikas fakultāte',
      url: 'https://www.lu.lv/',
      description:
        'Latvijas Universitāte ir lielākā klasiskā universitāte Latvijā. Datorikas fakultāte īsteno bakalaura, maģistra ' +
        'un doktora studiju programmas datorzinātnēs, kā arī īsus mūžizglītības kursus un mikrokvalifikācijas. ' +
        'The University of Latvia is the largest classical university in Latvia; its Faculty of Computing offers ' +
        'bachelor, master and doctoral programmes, short lifelong-learning courses and micro-credentials.',
      email: 'studiju.centrs@lu.lv',
      address: {
        type: ['Address'],
        addressCountry: 'Latvija',
        addressCountryCode: 'LV',
        addressLocality: 'Rīga',
        streetAddress: 'Raiņa bulvāris 19',
        postalCode: 'LV-1586',
      },
      otherIdentifier: [{ type: 'IdentifierEntry', identifier: '90000076669', identifierType: 'identifier' }],
    },
    validFrom: '2026-06-18T09:30:00Z',
    validUntil: '2031-06-18T09:30:00Z',
    credentialSubject: {
      id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: 'sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5',
          identityType: 'emailAddress',
          hashed: true,
          salt: 'deadsea',
        },
      ],
      activityStartDate: '2026-02-02T00:00:00Z',
      activityEndDate: '2026-06-12T00:00:00Z',
      creditsEarned: 6,
      result: [
        { type: ['Result'], resultDescription: 'urn:uuid:grade', value: '9 (teicami)' },
        { type: ['Result'], resultDescription: 'urn:uuid:status', status: 'Completed' },
      ],
      achievement: {
        id: 'https://badges.lu.lv/achievements/mi-pamati-2026',
        type: ['Achievement'],
        achievementType: 'MicroCredential',
        name: 'Mākslīgā intelekta pamati ģeogrāfiskajā informātikā un ķīmijā',
        description: outcomes.join(' '),
        humanCode: 'DatZ1234',
        fieldOfStudy: 'Datorzinātnes (ISCED-F 0613)',
        creditsAvailable: 6,
        inLanguage: 'lv',
        version: '2026.1',
        criteria: {
          id: 'https://badges.lu.lv/achievements/mi-pamati-2026#criteria',
          narrative: [
            '# Prasības',
            ...outcomes.map((o, i) => `${i + 1}. ${o}`),
            'Gala pārbaudījums: projekts (60 %) un mutisks eksāmens (40 %); nepieciešams vismaz 4 (gandrīz viduvēji).',
            '## Criteria (English)',
            '1. Explains the core concepts of machine learning. 2. Prepares data sets. 3. Chooses and justifies models.',
            '4. Assesses ethical and legal aspects, including GDPR. 5. Presents results in Latvian and English.',
          ].join('\n'),
        },
        alignment: [
          {
            type: ['Alignment'],
            targetName: 'EQF 5. līmenis',
            targetUrl: 'https://europa.eu/europass/en/description-eight-eqf-levels',
            targetFramework: 'European Qualifications Framework',
            targetCode: '5',
            targetType: 'ext:EQF',
          },
          {
            type: ['Alignment'],
            targetName: 'Mašīnmācīšanās',
            targetUrl: 'http://data.europa.eu/esco/skill/1e4f4a9c-53a8-4d2c-8b1a-6a0a7bf0b2a1',
            targetDescription: 'ESCO prasme: mašīnmācīšanās principu izmantošana datu analīzē.',
            targetFramework: 'ESCO',
            targetType: 'ext:ESCO',
          },
        ],
        resultDescription: [
          {
            id: 'urn:uuid:grade',
            type: ['ResultDescription'],
            name: 'Atzīme (10 ballu skala)',
            resultType: 'LetterGrade',
            allowedValue: ['10 (izcili)', '9 (teicami)', '8 (ļoti labi)', '7 (labi)', '6 (gandrīz labi)', '5 (viduvēji)', '4 (gandrīz viduvēji)'],
            requiredValue: '4 (gandrīz viduvēji)',
          },
          { id: 'urn:uuid:status', type: ['ResultDescription'], name: 'Statuss', resultType: 'Status' },
        ],
        image: { id: 'https://badges.lu.lv/images/mi-pamati-2026.png', type: 'Image', caption: 'Mākslīgā intelekta pamati' },
        creator: {
          id: 'https://badges.lu.lv/issuers/datorikas-fakultate',
          type: ['Profile'],
          name: 'Latvijas Universitāte, Datorikas fakultāte',
          description: 'Kursa autori: prof. Jānis Bērziņš, asoc. prof. Līga Ozoliņa, lekt. Ģirts Kļaviņš, Ņina Šņore.',
        },
        tag: ['mākslīgais intelekts', 'mašīnmācīšanās', 'ģeoinformātika', 'ķīmija', 'mikrokvalifikācija'],
        otherIdentifier: [{ type: 'IdentifierEntry', identifier: 'LU-MK-0042', identifierType: 'sourcedId' }],
      },
    },
    evidence: outcomes.map((o, i) => ({
      id: `https://estudijas.lu.lv/mod/assign/view.php?id=${1000 + i}`,
      type: ['Evidence'],
      name: `Uzdevums ${i + 1}: ${o.slice(0, 40)}…`,
      description: o,
      narrative:
        `Students iesniedza darbu ${i + 1}. nedēļā; pasniedzējs to novērtēja ar atzīmi „teicami” un atzina, ka ` +
        `sasniedzamais rezultāts ir apgūts. The learner submitted assignment ${i + 1}; the teacher graded it and ` +
        'confirmed the learning outcome (Moodle: Uzdevumi › Mākslīgā intelekta pamati › Vērtējumi).',
      genre: 'Praktisks darbs',
      audience: 'Studenti un darba devēji',
    })),
    credentialSchema: [
      {
        id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
        type: '1EdTechJsonSchemaValidator2019',
      },
    ],
    credentialStatus: {
      id: 'https://badges.lu.lv/status/1#94567',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '94567',
      statusListCredential: 'https://badges.lu.lv/status/1',
    },
    proof: [
      {
        type: 'DataIntegrityProof',
        created: '2026-06-18T09:30:01Z',
        verificationMethod: 'https://badges.lu.lv/issuers/datorikas-fakultate#z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x',
        cryptosuite: 'eddsa-rdfc-2022',
        proofPurpose: 'assertionMethod',
        proofValue: 'z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKFUZ3MuUoz96FYsq',
      },
    ],
  };
}

/** A compact JWS (EdDSA) whose payload is the realistic credential, signed with a fresh key. */
export async function realisticJwt(): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const { proof: _proof, ...payload } = realisticCredential();
  return new SignJWT(payload as Record<string, unknown>)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: 'https://badges.lu.lv/issuers/datorikas-fakultate#key-1' })
    .sign(privateKey);
}
