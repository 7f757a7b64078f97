import { defineConfig } from 'vite';

// The renderer is a static bundle loaded from app://vigil (Electron) or the Chromium host:
// relative paths, no dev server in production, no remote origins.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
