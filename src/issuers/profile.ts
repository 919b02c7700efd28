/**
 * The awarding body of a platform (an institution): what a registrar states once and every credential
 * carries as its issuer Profile (EU elements: awarding body, country of the issuer).
 */
export interface InstitutionProfile {
  name: { en: string; lv?: string };
  url: string;
  email: string;
  address: {
    addressCountry: string;
    addressCountryCode: string;
    addressLocality?: string;
    postalCode?: string;
    streetAddress?: string;
  };
  /** e.g. the institution's registration number in the national register of education institutions. */
  otherIdentifier?: Array<{ identifier: string; identifierType: string }>;
  description?: string;
}

export interface ProfileProblem {
  field: string;
  message: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Form or JSON input → a profile, or every problem with its field. Pure, never throws. */
export function parseInstitutionProfile(input: unknown): { ok: true; profile: InstitutionProfile } | { ok: false; problems: ProfileProblem[] } {
  const problems: ProfileProblem[] = [];
  type Input = Record<string, unknown> & { name?: { en?: unknown; lv?: unknown }; otherIdentifier?: Array<{ identifier?: unknown; identifierType?: unknown }> };
  const o = (input && typeof input === 'object' ? input : {}) as Input;
  const nameEn = text(o.name?.en ?? o.nameEn);
  const nameLv = text(o.name?.lv ?? o.nameLv);
  const url = text(o.url);
  const email = text(o.email);
  const address = (o.address ?? {}) as Record<string, unknown>;
  const countryCode = text(address.addressCountryCode ?? o.addressCountryCode).toUpperCase();
  const country = text(address.addressCountry ?? o.addressCountry);
  if (!nameEn) problems.push({ field: 'name.en', message: 'is required (English)' });
  if (nameEn.length > 300 || nameLv.length > 300) problems.push({ field: 'name', message: 'must be at most 300 characters' });
  if (!/^https:\/\/[^\s]+$/.test(url)) problems.push({ field: 'url', message: 'must be the https address of the institution' });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push({ field: 'email', message: 'must be an email address' });
  if (!/^[A-Z]{2}$/.test(countryCode)) problems.push({ field: 'address.addressCountryCode', message: 'must be a two-letter country code such as LV' });
  if (!country) problems.push({ field: 'address.addressCountry', message: 'is required, e.g. Latvia' });
  const profile: InstitutionProfile = {
    name: nameLv ? { en: nameEn, lv: nameLv } : { en: nameEn },
    url,
    email,
    address: { addressCountry: country, addressCountryCode: countryCode },
  };
  for (const key of ['addressLocality', 'postalCode', 'streetAddress'] as const) {
    const v = text(address[key] ?? o[key]);
    if (v) profile.address[key] = v.slice(0, 200);
  }
  const idValue = text(o.registrationNumber ?? o.otherIdentifier?.[0]?.identifier);
  if (idValue) profile.otherIdentifier = [{ identifier: idValue.slice(0, 100), identifierType: text(o.otherIdentifier?.[0]?.identifierType) || 'identifier' }];
  if (text(o.description)) profile.description = text(o.description).slice(0, 2000);
  return problems.length ? { ok: false, problems } : { ok: true, profile };
}
