import { execFile } from 'node:child_process';
import type { GitState } from '../domain/run.ts';

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000, maxBuffer: 16 << 20 }, (error, stdout) =>
      resolve(error ? null : stdout.trim()),
    );
  });
}

/** The commit, branch and dirty flag of the repository at `cwd`; null outside a repository (or without git). */
export async function readGitState(cwd: string): Promise<GitState | null> {
  const commit = await git(cwd, ['rev-parse', 'HEAD']);
  if (commit === null || commit.length === 0) return null;
  const branch = await git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=normal']);
  return {
    commit,
    // A detached HEAD answers "HEAD": there is no branch to name.
    branch: branch === null || branch === 'HEAD' ? null : branch,
    // A status git could not give (huge output, a broken index) cannot prove the tree clean.
    dirty: status === null || status.length > 0,
  };
}
