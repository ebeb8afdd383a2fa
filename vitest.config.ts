import { defineConfig } from 'vitest/config';

// Tests run against each package's TypeScript sources, not its build: every package exports
// `"@udpkit/source": "./src/index.ts"`, and this condition selects it.
const conditions = ['@udpkit/source'];

const project = (name: string, root: string) => ({
  extends: true as const,
  test: { name, root, include: ['test/**/*.test.ts'] },
});

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      project('endpoint', 'packages/endpoint'),
      project('udp-racket', 'packages/udp-racket'),
      project('datagram-channel', 'packages/datagram-channel'),
      project('tftp', 'packages/tftp'),
      project('demo', 'apps/demo'),
      project('fault-relay', 'tools/fault-relay'),
    ],
  },
});
