import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

/**
 * Rows per statement, a power of two (see `flush`): few enough bound values (SQLite allows 32766),
 * many enough to amortise a call.
 */
const rowsPerStatement = 64;

/**
 * Inserts many rows of one shape with one statement call per chunk: node:sqlite costs a few
 * microseconds per call, more than the B-tree work for the small rows of the enrichment tables.
 * Rows are queued until `flush`, which the owner calls inside its transaction.
 */
export class MultiRowInsert {
  private readonly db: DatabaseSync;
  private readonly head: string;
  private readonly tail: string;
  private readonly width: number;
  private readonly tuple: string;
  private readonly statements = new Map<number, StatementSync>();
  private values: SQLInputValue[] = [];

  /** `head` is `INSERT INTO t (a, b)`; `tail` what follows the VALUES list (an ON CONFLICT clause). */
  constructor(db: DatabaseSync, head: string, width: number, tail = '') {
    this.db = db;
    this.head = head;
    this.tail = tail;
    this.width = width;
    this.tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
  }

  /** Queues one row: exactly `width` values, in column order. */
  add(...row: SQLInputValue[]): void {
    for (const value of row) this.values.push(value);
  }

  flush(): void {
    const values = this.values;
    if (values.length === 0) return;
    this.values = [];
    // Full chunks, then the rest in power-of-two pieces (32, 16, … 1 rows): a few more calls, but
    // seven statement shapes to prepare instead of one per row count, each a long SQL text to parse.
    let start = 0;
    for (let rows = rowsPerStatement; rows >= 1; rows >>= 1) {
      const size = rows * this.width;
      while (values.length - start >= size) {
        this.statementFor(rows).run(...values.slice(start, start + size));
        start += size;
        if (rows < rowsPerStatement) break;
      }
    }
  }

  /** Drops queued rows (the transaction they belonged to rolled back). */
  clear(): void {
    this.values = [];
  }

  private statementFor(rows: number): StatementSync {
    let statement = this.statements.get(rows);
    if (statement === undefined) {
      const list = new Array<string>(rows).fill(this.tuple).join(', ');
      statement = this.db.prepare(`${this.head} VALUES ${list} ${this.tail}`);
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
