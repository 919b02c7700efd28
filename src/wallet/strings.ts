import { formatMessage, type MessageParams } from '../i18n/icu';
import type { Locale } from '../lti/launch-context';

/**
 * The wallet feature's own words in English and Latvian: the learner's page and the display names published in
 * the issuer metadata. Kept here (not in src/http/i18n.ts) so the feature stays in its own files; both tables have
 * the same keys (a unit test checks).
 */
export const walletMessages = {
  en: {
    title: 'Add to a digital wallet',
    heading: 'Add “{name}” to your digital wallet',
    intro:
      'A digital wallet app keeps your credentials on your phone, so you can show them to employers and other schools yourself. This page uses the open standard OpenID for Verifiable Credential Issuance (OID4VCI), which many wallet apps support.',
    stepsHeading: 'What to do',
    step1: 'Open a wallet app on your phone that supports OpenID4VCI, for example a European digital identity wallet or another credential wallet.',
    step2: 'Scan the QR code with the wallet app (use the scanner inside the wallet, not the camera app).',
    step3: 'If the wallet asks for a transaction code, type the code shown on this page.',
    step4: 'Check the issuer and the badge that the wallet shows, and accept.',
    qrHeading: 'Scan with your wallet',
    qrAlt:
      'QR code holding the wallet offer for “{name}”. If you cannot scan it, use the link “Open in wallet app” on the device where your wallet is installed.',
    sameDevice: 'Is your wallet on this device?',
    openLink: 'Open in wallet app',
    expiry: 'The code works once and expires at {time, time, utcMinute} (UTC). Reload this page for a new one.',
    txCodeLabel: 'Transaction code',
    txCodeHelp: 'Your wallet will ask for this code. Do not share it with anyone.',
    txDescription: 'Enter the {length, number}-digit transaction code shown on the wallet page in Moodle, next to the QR code.',
    binding:
      'Your wallet receives its own copy of the credential, signed by the issuer and bound to your wallet’s key: it names you by your wallet’s identifier (DID) as well as by the protected (hashed) identifiers of the credential page. Revoking the credential revokes the copy too.',
    revoked: 'This credential has been revoked by the issuer, so it cannot be added to a wallet.',
    suspended: 'This credential is suspended by the issuer, so it cannot be added to a wallet now.',
    back: 'Back to the credential',
    credentialName: 'Open Badge',
    credentialDescriptionJwt: 'Open Badges 3.0 achievement credential, signed as a JWT (VC-JWT).',
    credentialDescriptionLdp: 'Open Badges 3.0 achievement credential with a Data Integrity proof.',
    issuerName: 'Open Badges',
    claimAchievement: 'Achievement',
    claimDescription: 'Description',
    claimIssuer: 'Awarding body',
    claimValidFrom: 'Date of issue',
  },
  lv: {
    title: 'Pievienot digitālajam makam',
    heading: 'Pievienojiet “{name}” savam digitālajam makam',
    intro:
      'Digitālā maka lietotne glabā jūsu apliecinājumus tālrunī, lai jūs tos varētu paši uzrādīt darba devējiem un citām izglītības iestādēm. Šī lapa izmanto atvērto standartu OpenID for Verifiable Credential Issuance (OID4VCI), ko atbalsta daudzas maka lietotnes.',
    stepsHeading: 'Kas jādara',
    step1: 'Atveriet tālrunī maka lietotni, kas atbalsta OpenID4VCI, piemēram, Eiropas digitālās identitātes maku vai citu apliecinājumu maku.',
    step2: 'Noskenējiet QR kodu ar maka lietotni (izmantojiet skeneri maka lietotnē, nevis kameras lietotni).',
    step3: 'Ja maks prasa darījuma kodu, ievadiet šajā lapā redzamo kodu.',
    step4: 'Pārbaudiet maka parādīto izsniedzēju un nozīmīti un apstipriniet.',
    qrHeading: 'Skenējiet ar maku',
    qrAlt: 'QR kods ar maka piedāvājumu nozīmītei “{name}”. Ja to nevarat noskenēt, izmantojiet saiti “Atvērt maka lietotnē” ierīcē, kurā ir jūsu maks.',
    sameDevice: 'Vai jūsu maks ir šajā ierīcē?',
    openLink: 'Atvērt maka lietotnē',
    expiry: 'Kods derīgs vienu reizi līdz {time, time, utcMinute} (UTC). Lai saņemtu jaunu, pārlādējiet šo lapu.',
    txCodeLabel: 'Darījuma kods',
    txCodeHelp: 'Maks prasīs šo kodu. Nedodiet to nevienam citam.',
    txDescription: 'Ievadiet {length, number} ciparu darījuma kodu, kas redzams maka lapā Moodle vidē blakus QR kodam.',
    binding:
      'Jūsu maks saņem savu apliecinājuma kopiju, ko parakstījis izsniedzējs un kas piesaistīta jūsu maka atslēgai: tā jūs nosauc ar maka identifikatoru (DID), kā arī ar apliecinājuma lapas aizsargātajiem (jaucētajiem) identifikatoriem. Atsaucot apliecinājumu, tiek atsaukta arī kopija.',
    revoked: 'Izsniedzējs šo apliecinājumu ir atsaucis, tāpēc to nevar pievienot makam.',
    suspended: 'Izsniedzējs šo apliecinājumu ir apturējis, tāpēc to pašlaik nevar pievienot makam.',
    back: 'Atpakaļ uz apliecinājumu',
    credentialName: 'Atvērtā nozīmīte',
    credentialDescriptionJwt: 'Open Badges 3.0 sasnieguma apliecinājums, parakstīts kā JWT (VC-JWT).',
    credentialDescriptionLdp: 'Open Badges 3.0 sasnieguma apliecinājums ar Data Integrity parakstu.',
    issuerName: 'Atvērtās nozīmītes',
    claimAchievement: 'Sasniegums',
    claimDescription: 'Apraksts',
    claimIssuer: 'Piešķīrējs',
    claimValidFrom: 'Izsniegšanas datums',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type WalletMessageKey = keyof (typeof walletMessages)['en'];

/** A wallet text in ICU MessageFormat, formatted by the engine the pages use (src/i18n). */
export function walletText(locale: Locale, key: WalletMessageKey, params: MessageParams = {}): string {
  const table: Record<WalletMessageKey, string> = walletMessages[locale] ?? walletMessages.en;
  return formatMessage(locale, table[key], params);
}

/** Every message of one locale, for the template (those with arguments show `{name}`: the page fills them itself). */
export const walletTexts = (locale: Locale): Record<WalletMessageKey, string> =>
  Object.fromEntries((Object.keys(walletMessages.en) as WalletMessageKey[]).map((key) => [key, walletText(locale, key)])) as Record<WalletMessageKey, string>;

/** en or lv from an Accept-Language header (the offer's tx_code description is not internationalised, §4.1.1). */
export function localeOf(acceptLanguage: string | undefined): Locale {
  const first = (acceptLanguage ?? '')
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('lv') || p.startsWith('en'));
  return first?.startsWith('lv') ? 'lv' : 'en';
}
