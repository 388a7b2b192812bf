import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig({ command: 'serve', mode: 'test' }),
  defineConfig({
    test: {
      globals: true,
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
