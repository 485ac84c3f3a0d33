// JSON as Go's encoding/json writes it (json.Marshal): `<`, `>`, `&`, U+2028 and
// U+2029 escaped as \u00XX / \u20XX. ntfy and Gotify are Go servers; answering in
// their bytes means a client that compares or logs them sees what it would from them.

const GO_ESCAPES = /[<>&\u2028\u2029]/g;

export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(GO_ESCAPES, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
