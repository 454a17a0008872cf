import { createHash } from 'node:crypto';
import type { PlannedTable } from './copy-tables.ts';
import type { Cell, MigrationSide } from './migration-side.ts';
import type { TableCheck, TableDigest } from './migration-report.ts';

const verifyChunk = 2_000;

/** Compares each table's rows and hash on both ends. */
export async function verifyTables(
  source: MigrationSide,
  target: MigrationSide,
  tables: readonly PlannedTable[],
): Promise<TableCheck[]> {
  const checks: TableCheck[] = [];
  for (const t of tables) {
    const [s, d] = [await tableDigest(source, t), await tableDigest(target, t)];
    checks.push({ table: t.table, source: s, target: d, ok: s.rows === d.rows && s.hash === d.hash });
  }
  return checks;
}

/**
 * The XOR of each row's sha256 over its key and verify columns: independent of the order rows
 * come in (text keys sort differently in SQLite and PostgreSQL), and keys are unique, so no two
 * rows cancel out.
 */
async function tableDigest(side: MigrationSide, t: PlannedTable): Promise<TableDigest> {
  const columns = [...t.key, ...t.verify.filter((c) => t.columns.includes(c))];
  const keyAt = t.key.map((_, i) => i);
  const sum = new XorDigest();
  let after: Cell[] | null = null;
  for (;;) {
    const rows = await side.readChunk({
      table: t.table,
      columns,
      key: t.key,
      where: t.where,
      after,
      limit: verifyChunk,
    });
    for (const row of rows) sum.add(rowDigest(row));
    const last = rows.at(-1);
    if (last === undefined || rows.length < verifyChunk) break;
    after = keyAt.map((i) => last[i] ?? null);
  }
  return sum.result();
}

export class XorDigest {
  private readonly acc = Buffer.alloc(32);
  private rows = 0;

  add(digest: Buffer): void {
    for (let i = 0; i < 32; i++) this.acc[i] = (this.acc[i] ?? 0) ^ (digest[i] ?? 0);
    this.rows++;
  }

  result(): TableDigest {
    return { rows: this.rows, hash: this.acc.toString('hex').slice(0, 32) };
  }
}

function rowDigest(row: readonly Cell[]): Buffer {
  const hash = createHash('sha256');
  for (const cell of row) {
    // Each cell tagged by type, so 1 and '1' differ and bytes are not mistaken for text.
    if (cell === null) hash.update('n;');
    else if (typeof cell === 'number') hash.update(`i${cell};`);
    else if (typeof cell === 'string') hash.update(`s${Buffer.byteLength(cell)}:`).update(cell);
    else hash.update(`b${cell.byteLength}:`).update(cell);
  }
  return hash.digest();
}
