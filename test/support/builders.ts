/** Builders for test data: each call returns a fresh copy. */

/** A complete Latvian micro-credential definition as a teacher's form would send it. */
export const badgeDefinitionInput = (): Record<string, unknown> => ({
  achievementType: 'MicroCredential',
  name: { en: 'Academic writing', lv: 'Akadēmiskā rakstīšana' },
  description: { en: 'Writes and revises academic texts.', lv: 'Raksta un pilnveido akadēmiskus tekstus.' },
  criteriaNarrative: { en: 'Pass Essay 1 and complete the Final Project.', lv: 'Nokārtot Eseju 1 un pabeigt noslēguma projektu.' },
  learningOutcomes: [
    {
      text: { en: 'Structure an argument', lv: 'Strukturēt argumentāciju' },
      framework: 'ESCO',
      targetUrl: 'http://data.europa.eu/esco/skill/abc',
      targetCode: 'S1.2',
    },
  ],
  eqfLevel: 5,
  nationalFrameworkLevel: { framework: 'LKI', level: 5 },
  ectsCredits: 6,
  workloadHours: 160,
  assessmentType: { en: 'Graded written assignments', lv: 'Vērtēti rakstu darbi' },
  participationForm: 'online',
  qualityAssurance: { en: 'Internal QA of the university, accredited study programme', lv: 'Augstskolas iekšējā kvalitātes nodrošināšana' },
  inLanguage: ['lv', 'en'],
  fieldOfStudy: '0231 Language acquisition',
  imageTemplate: 'medal',
  validForMonths: 60,
  rule: { type: 'courseCompleted' },
});
