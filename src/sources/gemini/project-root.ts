import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The project root Gemini CLI wrote into `<tmp>/<project>/.project_root` (its ownership marker,
 * since the slug folders of Feb 2026): the only working directory a Gemini session has. Null when
 * the folder has none (the older hash folders) or it cannot be read; the chat is still imported.
 */
export function readProjectRoot(projectPath: string | null): string | null {
  if (projectPath === null) return null;
  let text: string;
  try {
    text = readFileSync(join(projectPath, '.project_root'), 'utf8');
  } catch {
    return null;
  }
  const root = text.trim();
  // One path on one line; anything else is not a marker we understand.
  return root.length > 0 && !root.includes('\n') ? root : null;
}
