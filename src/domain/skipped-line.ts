/** A part of the input that could not be used, said precisely enough to find and fix it. */
export type SkippedLine = { file: string; line: number; reason: string };
