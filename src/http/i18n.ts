import type { Locale } from '../lti/launch-context';

/** Every string a page shows, in English and Latvian. Keys are stable; tests check both tables have the same keys. */
export const messages = {
  en: {
    'app.title': 'Open Badges',
    'nav.skip': 'Skip to content',
    'nav.teacher': 'Course badges',
    'nav.student': 'My badges',
    'nav.registrar': 'Registrar',
    'teacher.heading': 'Badges of {course}',
    'teacher.empty': 'No badges are defined for this course yet.',
    'teacher.intro': 'Define what earns a badge in this course and see who has earned it.',
    'student.heading': 'My badges in {course}',
    'student.empty': 'You have no badges in this course yet.',
    'student.intro': 'Your progress towards the badges of this course.',
    'registrar.heading': 'Registrar: {platform}',
    'registrar.intro': 'Export and revoke the credentials your institution issued.',
    'registrar.empty': 'No credentials have been issued yet.',
    'signedInAs': 'Signed in as {name}',
    'dl.heading': 'Add a badge activity',
    'dl.pick': 'Choose a badge of this course',
    'dl.none': 'This course has no badges yet: create one.',
    'dl.create': 'Or create a new badge',
    'dl.name': 'Badge name',
    'dl.submit': 'Add to course',
    'dl.returning': 'Returning to Moodle…',
    'dl.continue': 'Continue',
    'reg.heading': 'The tool is registered',
    'reg.body': '{tool} is now registered with {issuer} (deployment {deployment}).',
    'reg.pending': 'In Moodle the tool is Pending until you activate it: Site administration > Plugins > Activity modules > External tool > Manage tools, then Activate.',
    'reg.close': 'You can close this window.',
    'error.heading': 'Something went wrong',
    'error.code': 'Error code',
    'error.request': 'Request id',
  },
  lv: {
    'app.title': 'Atvērtās nozīmītes',
    'nav.skip': 'Pāriet uz saturu',
    'nav.teacher': 'Kursa nozīmītes',
    'nav.student': 'Manas nozīmītes',
    'nav.registrar': 'Reģistrators',
    'teacher.heading': 'Kursa {course} nozīmītes',
    'teacher.empty': 'Šim kursam vēl nav definētu nozīmīšu.',
    'teacher.intro': 'Nosakiet, par ko šajā kursā piešķir nozīmīti, un redziet, kas to ir ieguvis.',
    'student.heading': 'Manas nozīmītes kursā {course}',
    'student.empty': 'Jums šajā kursā vēl nav nozīmīšu.',
    'student.intro': 'Jūsu virzība uz šī kursa nozīmītēm.',
    'registrar.heading': 'Reģistrators: {platform}',
    'registrar.intro': 'Eksportējiet un atsauciet jūsu iestādes izsniegtos apliecinājumus.',
    'registrar.empty': 'Vēl nav izsniegts neviens apliecinājums.',
    'signedInAs': 'Pieteicies kā {name}',
    'dl.heading': 'Pievienot nozīmītes aktivitāti',
    'dl.pick': 'Izvēlieties šī kursa nozīmīti',
    'dl.none': 'Šim kursam vēl nav nozīmīšu: izveidojiet to.',
    'dl.create': 'Vai izveidojiet jaunu nozīmīti',
    'dl.name': 'Nozīmītes nosaukums',
    'dl.submit': 'Pievienot kursam',
    'dl.returning': 'Atgriežas Moodle…',
    'dl.continue': 'Turpināt',
    'reg.heading': 'Rīks ir reģistrēts',
    'reg.body': '{tool} tagad ir reģistrēts vietnē {issuer} (izvietojums {deployment}).',
    'reg.pending': 'Moodle vidē rīks ir gaidīšanas stāvoklī, līdz to aktivizējat: Vietnes administrēšana > Spraudņi > Aktivitāšu moduļi > Ārējais rīks > Pārvaldīt rīkus, tad Aktivizēt.',
    'reg.close': 'Šo logu var aizvērt.',
    'error.heading': 'Radās kļūda',
    'error.code': 'Kļūdas kods',
    'error.request': 'Pieprasījuma identifikators',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type MessageKey = keyof (typeof messages)['en'];

export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template: string = messages[locale][key] ?? messages.en[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** Locale for pages without a launch (registration, errors before a session): from Accept-Language. */
export function localeFromHeader(acceptLanguage: string | undefined): Locale {
  return acceptLanguage && /^\s*lv\b/i.test(acceptLanguage) ? 'lv' : 'en';
}
