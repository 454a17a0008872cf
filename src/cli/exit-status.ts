/**
 * The exit code a command asks for when it succeeds as a command but reports another outcome
 * (`agentlog run` exits with its child's code). main.ts returns it; errors still map through
 * exitCodeOf.
 */
export type ExitStatus = { code: number };
