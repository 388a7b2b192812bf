/** `npm run sim -- [flags]`: run the simulated Genesys Cloud org until SIGINT/SIGTERM. */
import { OptionsError, cliFlags, parseSimArgs } from './cli-args.ts';
import { startSim, type RunningSim } from './index.ts';

/**
 * Signal handlers first, before the sim starts and long before the ready line is printed. A signal
 * is delivered by the kernel at once, not at the next event-loop turn: a supervisor that sends
 * SIGTERM as soon as it reads "listening on" could hit the instant between the write of that line
 * and the installation of the handler (the default action then kills the process: 143 / SIGTERM).
 * A signal that arrives while the sim is still starting stops it once it is up.
 */
let starting: Promise<RunningSim> | null = null;
let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.error(`genesys-sim: ${signal}, stopping`);
  if (!starting) process.exit(0);
  starting.then(
    (sim) =>
      sim.close().then(
        () => process.exit(0),
        () => process.exit(1),
      ),
    () => process.exit(1),
  );
}
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));

async function main(): Promise<void> {
  let options;
  try {
    options = parseSimArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof OptionsError) {
      console.error(`genesys-sim: ${e.message}`);
      console.error(`usage: npm run sim -- [${cliFlags.join(' ')}] (see genesys-sim/README.md)`);
      process.exit(2);
    }
    throw e;
  }
  starting = startSim(options);
  const sim = await starting;
  if (!stopping) console.log(`genesys-sim listening on ${sim.url}`);
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  console.error(`genesys-sim: ${e.code === 'EADDRINUSE' ? 'port already in use' : e.message}`);
  process.exit(1);
});
