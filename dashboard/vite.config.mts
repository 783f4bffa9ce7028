import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into dashboard/dist and served by the server at /ui/ (src/server/dashboard.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The strict CSP allows no inline script or style: keep everything in files.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    // `npx vite dashboard` during development, against a server on :4000.
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true }, '/auth': 'http://127.0.0.1:4000' },
  },
});
