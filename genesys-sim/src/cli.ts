/** `npm run sim -- [flags]`: run the simulated Genesys Cloud org until SIGINT/SIGTERM. */
import { OptionsError, cliFlags, parseSimArgs } from './cli-args.ts';
import { startSim } from './index.ts';

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
  const sim = await startSim(options);
  console.log(`genesys-sim listening on ${sim.url}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.error(`genesys-sim: ${signal}, stopping`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  console.error(`genesys-sim: ${e.code === 'EADDRINUSE' ? 'port already in use' : e.message}`);
  process.exit(1);
});
