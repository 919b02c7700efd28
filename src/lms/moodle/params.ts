/**
 * Moodle's REST server reads PHP-style form fields (`options[0][name]=limitfrom`, `userids[0]=4`) and rebuilds the
 * nested arrays that external_api::validate_parameters() checks, so nested params are flattened that way.
 */
export type WsScalar = string | number | boolean;
export type WsValue = WsScalar | null | undefined | readonly WsValue[] | { readonly [key: string]: WsValue };
export type WsParams = { readonly [key: string]: WsValue };

/** Flattens params into ordered `[name, value]` pairs; null/undefined are left out (Moodle then uses its default). */
export function flattenParams(params: WsParams): [string, string][] {
  const out: [string, string][] = [];
  const walk = (name: string, value: WsValue): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(`${name}[${i}]`, item));
    } else if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(`${name}[${key}]`, item);
    } else if (typeof value === 'boolean') {
      // PARAM_BOOL accepts 1/0 everywhere; "true"/"false" are not accepted by every Moodle version.
      out.push([name, value ? '1' : '0']);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypeError(`WS parameter ${name} is not a finite number`);
      out.push([name, String(value)]);
    } else {
      out.push([name, String(value)]);
    }
  };
  for (const [key, value] of Object.entries(params)) walk(key, value);
  return out;
}

/** `options[n][name]` / `options[n][value]` list used by core_enrol_get_enrolled_users and friends. */
export function nameValueOptions(options: Record<string, WsScalar | undefined>): { name: string; value: WsScalar }[] {
  const out: { name: string; value: WsScalar }[] = [];
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined) out.push({ name, value });
  }
  return out;
}
