import { randomInt } from 'node:crypto';
import { AgentlogError } from '../domain/errors.ts';

const idAlphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function newRunId(): string {
  let id = 'run_';
  for (let i = 0; i < 12; i++) id += idAlphabet[randomInt(idAlphabet.length)];
  return id;
}

/**
 * A run id or launch type given by the user becomes part of blob keys and file names, so it is
 * held to a safe shape: letters, digits, `.`, `_`, `-`, starting with a letter or digit.
 */
export function checkRunName(value: string, flag: string): string {
  if (!namePattern.test(value)) {
    throw new AgentlogError('INVALID_ARGUMENT', `${flag} "${value}" is not a valid name.`, {
      hint: 'Use up to 128 letters, digits, ".", "_" or "-", starting with a letter or digit.',
    });
  }
  return value;
}
