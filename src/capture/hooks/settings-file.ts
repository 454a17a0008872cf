import { chmod, mkdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AgentlogError } from '../../domain/errors.ts';

/** A JSON settings file as found, with the layout to write it back in. */
export type SettingsFile = {
  /** The file itself: a symlinked settings file (dotfiles) is written through the link. */
  path: string;
  exists: boolean;
  value: unknown;
  indent: string;
  finalNewline: boolean;
  mode: number | null;
};

export async function readSettingsFile(path: string): Promise<SettingsFile> {
  const real = await realpath(path).catch(() => path);
  let text: string;
  try {
    text = await readFile(real, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AgentlogError('INVALID_ARGUMENT', `Cannot read ${path}: ${(error as Error).message}`);
    }
    return { path: real, exists: false, value: {}, indent: '  ', finalNewline: true, mode: null };
  }
  const mode = (await stat(real)).mode & 0o7777;
  if (text.trim().length === 0)
    return { path: real, exists: true, value: {}, indent: '  ', finalNewline: true, mode };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `${path} is not valid JSON (${(error as Error).message}); agentlog leaves it untouched.`,
      { hint: 'Fix the file (comments are not supported), then run this again.' },
    );
  }
  return { path: real, exists: true, value, indent: indentOf(text), finalNewline: text.endsWith('\n'), mode };
}

/** Writes the new value in the file's own layout, atomically (a crash leaves the old file or the new). */
export async function writeSettingsFile(file: SettingsFile, value: unknown): Promise<void> {
  const text = `${JSON.stringify(value, null, file.indent)}${file.finalNewline ? '\n' : ''}`;
  await mkdir(dirname(file.path), { recursive: true });
  const temp = `${file.path}.agentlog-${process.pid}.tmp`;
  await writeFile(temp, text);
  await chmod(temp, file.mode ?? 0o644);
  await rename(temp, file.path);
}

/** The indentation of the first indented line; none for a file written on one line. */
function indentOf(text: string): string {
  const body = text.trimEnd();
  if (!body.includes('\n')) return body === '{}' ? '  ' : '';
  return /\n([ \t]+)\S/.exec(body)?.[1] ?? '  ';
}
