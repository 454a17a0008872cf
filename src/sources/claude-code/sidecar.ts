import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isObj } from '../shared/fields.ts';

/** What `agent-<id>.meta.json` beside a sub-agent transcript says about the agent's spawn. */
export type AgentSidecar = { toolUseId?: string; agentType?: string; description?: string };

const maxSidecarBytes = 64 * 1024;

/**
 * Reads the sidecar newer Claude Code versions write next to a sub-agent transcript. It links the
 * agent to the tool call that spawned it even when that call never returned. It is only a hint:
 * a missing, oversized or malformed sidecar gives null and the transcript is read as usual.
 */
export function readAgentSidecar(transcript: string, agentId: string): AgentSidecar | null {
  const path = join(dirname(transcript), `agent-${agentId}.meta.json`);
  let text: string;
  try {
    // Only a regular file: reading a FIFO of that name would block the import.
    const info = statSync(path, { throwIfNoEntry: false });
    if (info === undefined || !info.isFile() || info.size > maxSidecarBytes) return null;
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(value)) return null;
  const sidecar: AgentSidecar = {};
  if (typeof value.toolUseId === 'string') sidecar.toolUseId = value.toolUseId;
  if (typeof value.agentType === 'string') sidecar.agentType = value.agentType;
  if (typeof value.description === 'string') sidecar.description = value.description;
  return sidecar;
}
