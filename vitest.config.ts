import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig({ command: 'serve', mode: 'test' }),
  defineConfig({
    test: {
      globals: true,
      // The machine is shared and noisy: generous per-test limits; speed is measured in bench/, not here.
      testTimeout: 30_000,
      hookTimeout: 30_000,
      projects: [
        {
          extends: true,
          test: {
            name: 'app',
            environment: 'jsdom',
            include: ['src/**/*.test.{ts,tsx}'],
            setupFiles: ['src/testing/setup.ts'],
          },
        },
        {
          extends: true,
          test: { name: 'sim', environment: 'node', include: ['genesys-sim/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'] },
        },
      ],
    },
  }),
);
