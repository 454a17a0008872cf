/** A benchmark's findings, printed as an aligned table. */
export type Row = { name: string; value: string; detail?: string };
export type Goal = { name: string; target: string; actual: string; met: boolean };

export function printTable(title: string, rows: Row[], goals: Goal[]): void {
  const width = Math.max(...rows.map((r) => r.name.length), ...goals.map((g) => g.name.length));
  console.log(`\n${title}\n`);
  for (const r of rows)
    console.log(`  ${r.name.padEnd(width)}  ${r.value.padStart(12)}${r.detail ? `  ${r.detail}` : ''}`);
  console.log('\n  goals');
  for (const g of goals)
    console.log(
      `  ${g.name.padEnd(width)}  ${g.actual.padStart(12)}  target ${g.target.padEnd(10)} ${g.met ? 'met' : 'NOT MET'}`,
    );
  console.log();
}

export const ms = (value: number) => `${value.toFixed(0)} ms`;
export const mbps = (bytes: number, millis: number) =>
  `${(bytes / 1024 / 1024 / (millis / 1000)).toFixed(1)} MB/s`;
export const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
