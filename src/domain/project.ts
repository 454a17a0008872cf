/** The unit that owns data (and later API keys). Local use gets one named `default`. */
export type Project = { id: number; name: string; createdAt: number };

export const defaultProjectName = 'default';
