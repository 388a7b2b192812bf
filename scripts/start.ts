/**
 * `npm start`: the demo in one command. Builds the app, starts the simulated org and serves the
 * built app (with its real security headers) pointed at the sim. Prints the URL to open.
 *   npm start -- [--port 5173] [--sim-port 4010] [--no-build] [sim flags such as --conversations 2000]
 */
import { build, preview } from 'vite';
import { startSim } from '../genesys-sim/src/index.ts';
import { parseSimArgs } from '../genesys-sim/src/cli-args.ts';

function takeFlag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

async function main() {
  const args = process.argv.slice(2);
  const appPort = Number(takeFlag(args, '--port') ?? process.env.PORT ?? 5173);
  const simPort = Number(takeFlag(args, '--sim-port') ?? 4010);
  const noBuild = args.includes('--no-build');
  if (noBuild) args.splice(args.indexOf('--no-build'), 1);
  if (!Number.isInteger(appPort) || !Number.isInteger(simPort)) throw new Error('--port and --sim-port take numbers');

  const simOptions = parseSimArgs(args);
  const sim = await startSim({ ...simOptions, port: simPort });
  console.log(`genesys-sim listening on ${sim.url}`);

  if (!noBuild) {
    console.log('building the app…');
    await build({ logLevel: 'warn' });
  }
  process.env.WUD_CONFIG = JSON.stringify({ region: 'sim', simUrl: sim.url, clientId: 'wrapup-desk-demo', grant: 'pkce' });
  const server = await preview({ preview: { port: appPort, strictPort: true, host: '127.0.0.1' } });
  const url = `http://127.0.0.1:${appPort}/`;
  console.log(`\nWrap-up Desk demo is ready: open ${url}\n(sign in as supervisor@demo.example on the simulated org; Ctrl+C stops)`);

  const stop = async () => {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
