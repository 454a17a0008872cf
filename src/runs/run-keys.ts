/** Where a run's objects live in the blob store. */
export const runKeys = {
  conversation: (launchType: string, runId: string) =>
    `conversations/${launchType}/${runId}/conversation.json`,
  metadata: (launchType: string, runId: string) => `conversations/${launchType}/${runId}/metadata.json`,
  /** The command's output (stdout and stderr, interleaved as they came). */
  log: (runId: string) => `runs/${runId}/output.log`,
  /** A log handed to `crash report --log` from another machine. */
  reportedLog: (runId: string, reportId: string) => `runs/${runId}/${reportId}.log`,
};
