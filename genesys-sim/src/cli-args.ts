/** Command-line parsing shared by `npm run sim` (cli.ts) and `npm start` (scripts/start.ts). */
import { parseArgs, type SimOptions } from './options.ts';

export { OptionsError, cliFlags } from './options.ts';

/** Parse sim flags (e.g. ['--seed', '2', '--control']). Throws OptionsError with a readable message on bad flags. */
export function parseSimArgs(argv: readonly string[]): SimOptions {
  return parseArgs(argv);
}
