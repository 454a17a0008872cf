import { AgentlogError } from '../domain/errors.ts';
import type { Run } from '../domain/run.ts';
import type { Store } from '../storage/ports.ts';

/** The one run named by `ref`: a run id, a chain id (any case), or a unique start of a run id. */
export async function findRun(store: Store, projectId: number, ref: string): Promise<Run> {
  const found = await store.findRuns(projectId, ref.trim());
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new AgentlogError('NOT_FOUND', `No run has the id or chain id "${ref}".`, {
      hint: 'Check the id (chain ids are 6 characters, e.g. K7M2QX), the --project and --data-dir, or see `npx agentlog runs list`.',
    });
  }
  const names = found
    .slice(0, 5)
    .map((r) => `${r.id} (chain ${r.chainId})`)
    .join(', ');
  throw new AgentlogError('AMBIGUOUS', `"${ref}" matches ${found.length} runs: ${names}.`, {
    hint: 'Give the whole run id or the chain id.',
  });
}
