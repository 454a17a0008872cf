import { fileURLToPath } from 'node:url';

/** One file per benchmark; each exports `run(args)`. Usage: `npm run bench -- <name> [options]`. */
const benchmarks: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  analytics: () => import('./analytics.ts'),
  'checkpoint-pg': () => import('./checkpoint-pg.ts'),
  'cli-start': () => import('./cli-start.ts'),
  dataset: () => import('./dataset.ts'),
  enrich: () => import('./enrich.ts'),
  import: () => import('./import.ts'),
  ingest: () => import('./ingest.ts'),
  'ingest-pg': () => import('./ingest-replicas.ts'),
  memory: () => import('./memory.ts'),
  reliability: () => import('./reliability.ts'),
  jobs: () => import('./jobs.ts'),
  runs: () => import('./runs.ts'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name === undefined ? undefined : benchmarks[name];
  if (load === undefined) {
    console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}> [--size <MB>]`);
    return 2;
  }
  await (await load()).run(args);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
