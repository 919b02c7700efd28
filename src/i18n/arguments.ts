/**
 * The arguments of a parsed ICU message, and a safe rendering when the values given for them do not fit: a page
 * must never fail because one value is missing, so such an argument shows as a visible `{name}` placeholder.
 */
import type { IntlMessageFormat } from 'intl-messageformat';

export type MessageElement = ReturnType<IntlMessageFormat['getAst']>[number];
export type ArgumentKind = 'text' | 'number' | 'date' | 'time' | 'select' | 'plural';
export type MessageValue = string | number | Date | null | undefined;

// The ICU parser's element types (its TYPE enum): 0 literal, 1 argument, 2 number, 3 date, 4 time, 5 select,
// 6 plural, 7 pound (`#`), 8 tag. Literals, pounds and tags name no argument.
const KIND_OF_TYPE: Partial<Record<number, ArgumentKind>> = { 1: 'text', 2: 'number', 3: 'date', 4: 'time', 5: 'select', 6: 'plural' };
const LITERAL = 0;
const POUND = 7;

/** Every argument a message uses, nested ones included, with how it is formatted. */
export function argumentsOf(elements: readonly MessageElement[], found = new Map<string, ArgumentKind>()): Map<string, ArgumentKind> {
  for (const element of elements) {
    const kind = KIND_OF_TYPE[element.type];
    if (kind !== undefined && 'value' in element) found.set(element.value, kind);
    if ('options' in element) for (const option of Object.values(element.options)) argumentsOf(option.value, found);
  }
  return found;
}

/** Whether a value can be formatted as an argument of this kind. */
export function fits(kind: ArgumentKind, value: MessageValue): boolean {
  switch (kind) {
    case 'number':
    case 'plural':
      return typeof value === 'number' && Number.isFinite(value);
    case 'date':
    case 'time':
      return (value instanceof Date && !Number.isNaN(value.getTime())) || (typeof value === 'number' && Number.isFinite(value));
    default:
      return typeof value === 'string' || typeof value === 'number';
  }
}

/**
 * The message with each argument whose value does not fit replaced by text: a string value as given (a caller's
 * own formatting, e.g. "—"), anything else as `{name}`. A plural or select without a fitting value keeps its
 * `other` branch, where `#` shows the same text.
 */
export function withUnfitArgumentsAsText(elements: readonly MessageElement[], values: Readonly<Record<string, MessageValue>>): MessageElement[] {
  return elements.flatMap((element) => rewrite(element, values, null));
}

function rewrite(element: MessageElement, values: Readonly<Record<string, MessageValue>>, poundText: string | null): MessageElement[] {
  const kind = KIND_OF_TYPE[element.type];
  if (kind === undefined || !('value' in element)) return element.type === POUND && poundText !== null ? [literal(poundText)] : [element];
  const value = values[element.value];
  if (fits(kind, value)) {
    if (!('options' in element)) return [element];
    // a kept plural owns the `#` inside it; a kept select passes the outer one through
    const inner = kind === 'plural' ? null : poundText;
    const options = Object.fromEntries(
      Object.entries(element.options).map(([selector, option]) => [selector, { ...option, value: option.value.flatMap((e) => rewrite(e, values, inner)) }]),
    );
    return [{ ...element, options }];
  }
  const text = typeof value === 'string' ? value : `{${element.value}}`;
  if (!('options' in element)) return [literal(text)];
  const other = element.options['other']?.value ?? [];
  return other.flatMap((e) => rewrite(e, values, kind === 'plural' ? text : poundText));
}

function literal(value: string): MessageElement {
  // built by hand: the parser's TYPE enum is not exported by intl-messageformat
  return { type: LITERAL, value } as unknown as MessageElement;
}
