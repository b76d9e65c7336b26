import { defineConfig } from 'vitest/config'

// One project per runtime: pure code, CLI and worker in Node; the edge in workerd (added with functions/).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/functions/**'],
          environment: 'node',
        },
      },
    ],
  },
})
