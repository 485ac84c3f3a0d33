// JSON Pointer, RFC 6901: "" is the whole document; "/a/b" walks member "a" then
// "b"; "~1" stands for "/" and "~0" for "~" (section 4: decode ~1 before ~0); an
// array index is a decimal without leading zeros (section 4).

export type PointerResult = { found: true; value: unknown } | { found: false; reason: string };

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

export function resolvePointer(document: unknown, pointer: string): PointerResult {
  if (pointer === '') return { found: true, value: document };
  if (!pointer.startsWith('/')) return { found: false, reason: `a JSON pointer starts with "/", got ${JSON.stringify(pointer)}` };
  let value: unknown = document;
  let walked = '';
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    walked += `/${raw}`;
    if (Array.isArray(value) && ARRAY_INDEX.test(token) && Number(token) < value.length) {
      value = value[Number(token)];
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, token)) {
      value = (value as Record<string, unknown>)[token];
    } else {
      return { found: false, reason: `no value at ${walked} in the JSON body` };
    }
  }
  return { found: true, value };
}
