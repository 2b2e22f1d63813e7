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
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
  },
})
