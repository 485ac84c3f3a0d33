// "Send only on change": two statuses are equal when they hold the same values,
// whatever the order of their keys.

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

/** Top-level keys whose value differs between two statuses (added and removed keys too). */
export function changedKeys(previous: Record<string, unknown> | null, next: Record<string, unknown>): string[] {
  if (previous === null) return Object.keys(next).sort();
  const keys = new Set([...Object.keys(previous), ...Object.keys(next)]);
  return [...keys].filter((k) => canonicalJson(previous[k]) !== canonicalJson(next[k])).sort();
}
