/** Narrow, cheap readers for fields of parsed JSON: validate only what is used (hot path). */

export class FieldError extends Error {}

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** An optional string field: absent or null gives undefined; any other type is an error. */
export function optString(o: Obj, key: string, path = key): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new FieldError(`${path}: expected a string, got ${kind(v)}`);
  return v;
}

export function reqString(o: Obj, key: string, path = key): string {
  const v = optString(o, key, path);
  if (v === undefined) throw new FieldError(`${path}: missing`);
  return v;
}

export function optNumber(o: Obj, key: string, path = key): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new FieldError(`${path}: expected a number, got ${kind(v)}`);
  return v;
}

export function optBoolean(o: Obj, key: string): boolean {
  return o[key] === true;
}

export function optObj(o: Obj, key: string, path = key): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new FieldError(`${path}: expected an object, got ${kind(v)}`);
  return v;
}

/** An ISO-8601 timestamp as epoch ms; a present but unparseable value is an error. */
export function optTimestamp(o: Obj, key: string, path = key): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') throw new FieldError(`${path}: expected an ISO-8601 timestamp, got ${kind(v)}`);
  const ms = Date.parse(v);
  if (Number.isNaN(ms))
    throw new FieldError(`${path}: not a valid timestamp: ${JSON.stringify(v.slice(0, 40))}`);
  return ms;
}

export function describe(value: unknown): string {
  return kind(value);
}
