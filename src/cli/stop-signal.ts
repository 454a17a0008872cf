/**
 * For long-running commands (serve, watch, jobs work): resolves on the first SIGINT or SIGTERM,
 * after which a second one gets Node's default (immediate) exit. `dispose` lets go of the
 * signals when the command ends another way.
 */
export function stopSignal(): { signalled: Promise<void>; dispose(): void } {
  let onSignal = () => {};
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const signalled = new Promise<void>((resolve) => {
    onSignal = () => {
      dispose();
      resolve();
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signalled, dispose };
}
