import { pgParam } from './pg-text.ts';

/**
 * Turns `:name` placeholders into `$n` ones with the values in order, so queries read like the
 * SQLite ones. `::type` casts are left alone. Values are made storable (pg-text.ts).
 */
export function named(sql: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const order = new Map<string, number>();
  const values: unknown[] = [];
  const text = sql.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`No value for :${name}`);
    let index = order.get(name);
    if (index === undefined) {
      values.push(pgParam(params[name]));
      index = values.length;
      order.set(name, index);
    }
    return `$${index}`;
  });
  return { text, values };
}
