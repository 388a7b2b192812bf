/**
 * Runtime configuration (`public/config.json`): one build serves many orgs by editing this file.
 * This module is shared by the app and the build scripts (CSP headers), so it imports nothing but zod (by a relative path).
 */
import { z } from '../lib/zod.ts';

/** The simulated org is addressed by its URL; a real org by one of the platform's region hosts. */
export const SIM_REGION = 'sim';
const HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export const appConfigSchema = z
  .object({
    /** A Genesys Cloud region host such as `mypurecloud.ie`, or `sim` for the simulated org. */
    region: z.string().min(1),
    /**
     * Further regions users may pick on the sign-in screen (hosts). The CSP's connect-src allows
     * exactly `region` plus these (API, login and notification streaming hosts), so a region is
     * usable only if it is named here.
     */
    extraRegions: z.array(z.string().min(1)).default([]),
    /** Address of the simulated org; used only when `region` is `sim` (development, demo, tests). */
    simUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** OAuth client id (a PKCE or implicit-grant client of the org). */
    clientId: z.string().trim().min(1),
    grant: z.enum(['pkce', 'implicit']).default('pkce'),
    /** Where the platform sends the browser back; defaults to the app's own URL. */
    redirectUri: z.url({ protocol: /^https?$/ }).optional(),
    /** When true the sign-in screen shows region, client and grant but does not let users change them. */
    lockSignIn: z.boolean().default(false),
    /** Allow framing by Genesys Cloud (`https://apps.<region>`), for use as a client app. */
    embedding: z.object({ enabled: z.boolean().default(false) }).default({ enabled: false }),
    /** The token's request budget, shared by everything the app sends. */
    rateLimit: z
      .object({
        requestsPerMinute: z.number().int().positive().default(300),
        budgetFraction: z.number().min(0.1).max(1).default(0.9),
        concurrency: z.number().int().min(1).max(32).default(6),
      })
      .default({ requestsPerMinute: 300, budgetFraction: 0.9, concurrency: 6 }),
  })
  .refine((c) => c.region !== SIM_REGION || c.simUrl !== undefined, {
    message: 'simUrl is required when region is "sim"',
    path: ['simUrl'],
  })
  .refine((c) => c.region === SIM_REGION || HOST.test(c.region), {
    message: 'region must be a Genesys Cloud host such as mypurecloud.ie, or "sim"',
    path: ['region'],
  })
  .refine((c) => c.extraRegions.every((r) => HOST.test(r)), {
    message: 'extraRegions must list Genesys Cloud hosts such as mypurecloud.de',
    path: ['extraRegions'],
  });

/** The regions this deployment may talk to: the configured one first. */
export function allowedRegions(config: Pick<AppConfig, 'region' | 'extraRegions'>): string[] {
  return [...new Set([config.region, ...config.extraRegions])];
}

export type AppConfig = z.infer<typeof appConfigSchema>;

/** The platform's HTTP origins (API and login) the browser may talk to for this config (connect-src). */
export function platformOrigins(config: Pick<AppConfig, 'region' | 'simUrl' | 'extraRegions'>): string[] {
  return allowedRegions(config).flatMap((region) => {
    if (region === SIM_REGION) return config.simUrl ? [new URL(config.simUrl).origin] : [];
    return [`https://api.${region}`, `https://login.${region}`];
  });
}

/**
 * The WebSocket origins of the platform's notification streaming (connect-src only; these are not
 * HTTP API hosts): `wss://streaming.<region host>` for every allowed region, and for the simulated
 * org its own host and port over ws (wss when simUrl is https).
 */
export function streamingOrigins(config: Pick<AppConfig, 'region' | 'simUrl' | 'extraRegions'>): string[] {
  return allowedRegions(config).flatMap((region) => {
    if (region === SIM_REGION) {
      if (!config.simUrl) return [];
      const url = new URL(config.simUrl);
      return [`${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`];
    }
    return [`wss://streaming.${region}`];
  });
}

/** The Genesys Cloud origin that may frame the app when embedding is enabled. */
export function embeddingOrigins(config: Pick<AppConfig, 'region' | 'embedding'>): string[] {
  if (!config.embedding.enabled || config.region === SIM_REGION) return [];
  return [`https://apps.${config.region}`];
}
