import { AgentlogError } from '../../domain/errors.ts';
import { isObj, type Obj } from '../../sources/shared/fields.ts';

/**
 * Claude Code, Codex and Gemini CLI share one hook layout:
 *   { "hooks": { "<Event>": [ { "matcher"?: ..., "hooks": [ { "type": "command", "command": ... } ] } ] } }
 * These functions add or remove agentlog's handlers in it and leave everything else as it was.
 */

export type HookChange = { event: string; change: 'added' | 'updated' | 'unchanged' };

type IsOurs = (command: unknown) => boolean;

/** The settings with `handler` registered for each event; an earlier agentlog handler is updated in place. */
export function withHooks(
  settings: unknown,
  file: string,
  events: readonly string[],
  handler: Obj,
  isOurs: IsOurs,
): { settings: Obj; changes: HookChange[] } {
  const next = settingsObject(settings, file);
  if (next.hooks === undefined) next.hooks = {};
  const hooks = next.hooks;
  if (!isObj(hooks)) throw shapeError(file, '"hooks" is not an object');
  const changes: HookChange[] = [];
  for (const event of events) {
    if (hooks[event] === undefined) hooks[event] = [];
    const groups = hooks[event];
    if (!Array.isArray(groups)) throw shapeError(file, `"hooks.${event}" is not a list`);
    changes.push({ event, change: placeHandler(groups, handler, isOurs) });
  }
  return { settings: next, changes };
}

/** The settings without agentlog's handlers; groups and events left empty by that are removed too. */
export function withoutHooks(
  settings: unknown,
  file: string,
  isOurs: IsOurs,
): { settings: Obj; removed: string[] } {
  const next = settingsObject(settings, file);
  const hooks = next.hooks;
  const removed: string[] = [];
  if (!isObj(hooks)) return { settings: next, removed };
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    const kept = withoutOurs(groups, isOurs);
    if (kept === null) continue;
    removed.push(event);
    if (kept.length === 0) delete hooks[event];
    else hooks[event] = kept;
  }
  if (removed.length > 0 && Object.keys(hooks).length === 0) delete next.hooks;
  return { settings: next, removed };
}

function placeHandler(groups: unknown[], handler: Obj, isOurs: IsOurs): HookChange['change'] {
  let change: HookChange['change'] | null = null;
  for (const group of groups) {
    if (!isObj(group) || !Array.isArray(group.hooks)) continue;
    const list = group.hooks;
    for (let i = 0; i < list.length; i++) {
      const entry: unknown = list[i];
      if (!isObj(entry) || !isOurs(entry.command)) continue;
      if (change === null) {
        change = JSON.stringify(entry) === JSON.stringify(handler) ? 'unchanged' : 'updated';
        list[i] = handler;
      } else {
        // A second agentlog handler for the same event would import twice: drop it.
        list.splice(i--, 1);
        change = 'updated';
      }
    }
  }
  if (change !== null) {
    const emptied = groups.filter((g) => isObj(g) && Array.isArray(g.hooks) && g.hooks.length === 0);
    for (const group of emptied) groups.splice(groups.indexOf(group), 1);
    return change;
  }
  groups.push({ hooks: [handler] });
  return 'added';
}

/** The groups without our handlers, or null when there were none. */
function withoutOurs(groups: unknown[], isOurs: IsOurs): unknown[] | null {
  let touched = false;
  const kept: unknown[] = [];
  for (const group of groups) {
    if (!isObj(group) || !Array.isArray(group.hooks)) {
      kept.push(group);
      continue;
    }
    const handlers = group.hooks.filter((h: unknown) => !(isObj(h) && isOurs(h.command)));
    if (handlers.length === group.hooks.length) {
      kept.push(group);
      continue;
    }
    touched = true;
    if (handlers.length > 0) kept.push({ ...group, hooks: handlers });
  }
  return touched ? kept : null;
}

function settingsObject(settings: unknown, file: string): Obj {
  if (!isObj(settings)) throw shapeError(file, 'the file does not hold a JSON object');
  return structuredClone(settings);
}

function shapeError(file: string, what: string): AgentlogError {
  return new AgentlogError('INVALID_ARGUMENT', `${file}: ${what}; agentlog leaves it untouched.`, {
    hint: 'Fix the file by hand (or move it away), then run this again.',
  });
}
