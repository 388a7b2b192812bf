/** In-process entry point: `startSim()` starts the simulated Genesys Cloud org on 127.0.0.1. */
import type { AddressInfo } from 'node:net';
import { defaultOptions, mergeOptions, type FaultOptions, type SimOptions } from './options.ts';
import { simControls } from './in-process.ts';
import { createSimServer } from './server.ts';
import { SimState, type TokenRecord } from './state.ts';

export type {
  AgentQueryScope,
  FaultOptions,
  FaultScope,
  IntervalSemantics,
  PatchPolicy,
  Profile,
  RateLimitScope,
  SimOptions,
  WrapupEvents,
  WrapupPolicy,
} from './options.ts';
export { OptionsError, defaultOptions, defaultFaults, parseArgs, profiles } from './options.ts';
export { AGENT_EMAIL, AGENT_WITHOUT_ANALYTICS_EMAIL, SECOND_SUPERVISOR_EMAIL, SUPERVISOR_EMAIL } from './generate.ts';
export { OWN_WRAPUP_WINDOW_CLOSED, WRAPUP_NOT_ALLOWED } from './rules.ts';
export { parseSimArgs } from './cli-args.ts';
export { OAUTH_CLIENTS } from './oauth.ts';
export type { ChatLogEntry, SimState, WriteLogEntry, RequestLogEntry, TokenRecord } from './state.ts';
export type * from './model.ts';
export type { OrgSummary, TruthItem } from './control.ts';
export type { ChannelSummary, CloseRequest, NotificationsSummary } from './notifications.ts';
export { USER_TOPIC_PERMISSION, userConversationsTopic, wrapupTopic } from './notifications.ts';
export { pickSharedCodeTargets, wrapupUrl } from './pick-targets.ts';
export type { SimClock } from './clock.ts';
export { createInProcessSim, type InProcessSim } from './in-process.ts';

/** Options for startSim: any SimOptions, with faults given partially. Port defaults to 0 (a free port). */
export type StartOptions = Partial<Omit<SimOptions, 'faults'>> & { faults?: Partial<FaultOptions> };

export interface RunningSim {
  /** http://127.0.0.1:<port> (no trailing slash). */
  url: string;
  port: number;
  /** Live state (org, tokens, logs). Replaced in place by reset(). */
  readonly state: SimState;
  readonly options: SimOptions;
  /** Rebuild the org with changed options (like POST /__sim/reset). Tokens and logs are forgotten. */
  reset(options?: StartOptions): void;
  /** Change faults (like POST /__sim/faults). */
  setFaults(faults: Partial<FaultOptions>): void;
  /** Mint a valid access token for any user of the org, by email (like POST /__sim/tokens). clientId defaults to wrapup-desk-demo. */
  mintToken(email: string, ttlSeconds?: number, clientId?: string): string;
  /** Token record for tests (revocation, expiry). */
  tokenRecord(token: string): TokenRecord | undefined;
  close(): Promise<void>;
}

export async function startSim(options: StartOptions = {}): Promise<RunningSim> {
  const opts = mergeOptions({ ...defaultOptions, port: 0 }, options);
  const state = new SimState(opts);
  const sim = createSimServer(state);
  await new Promise<void>((resolve, reject) => {
    sim.server.once('error', reject);
    sim.server.listen(opts.port, '127.0.0.1', () => {
      sim.server.off('error', reject);
      resolve();
    });
  });
  const port = (sim.server.address() as AddressInfo).port;
  state.options = { ...state.options, port };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get state() {
      return state;
    },
    get options() {
      return state.options;
    },
    ...simControls(state),
    close: () => sim.close(),
  };
}
