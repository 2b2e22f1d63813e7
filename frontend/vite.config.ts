/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The Go binary serves dist/ under a strict CSP (script-src 'self'):
// no inline scripts, hashed assets under /assets/.
const backend = process.env.BUREAU_DEV_BACKEND ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // Never inline assets as data: URIs into JS/CSS beyond the default small icons.
    assetsInlineLimit: 4096,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // One admin SPA (React, React Router, Mantine: ≈ 230 kB gzip on first load);
    // the setup wizard, the plan page, account settings and the create dialog
    // load on demand.
    chunkSizeWarningLimit: 700,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend },
      '/readyz': { target: backend },
    },
  },
  test: {
    globals: true,
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
    // Vitest keeps one CPU free by default, which on a 2-CPU machine means one
    // worker; the main process idles during a run, so use every CPU.
    maxWorkers: '100%',
    projects: [
      {
        // Pure logic (lib/, api/): no DOM, no setup file, no jsdom to build.
        extends: true,
        test: { name: 'unit', environment: 'node', include: ['src/**/*.test.ts'] },
      },
      {
        // Components and pages, rendered into jsdom. Files share their worker's
        // modules (isolate: false): loading React, Mantine and jsdom once per
        // worker instead of once per file halves the run. What would leak
        // between files is reset for every test: renderApp starts a fresh
        // query client, API client and session flags; setup.ts unmounts and
        // empties the notifications; restoreMocks/unstubGlobals undo mocks.
        extends: true,
        test: {
          name: 'ui',
          environment: 'jsdom',
          setupFiles: ['./src/test/setup.ts'],
          include: ['src/**/*.test.tsx'],
          isolate: false,
        },
      },
    ],
  },
})
