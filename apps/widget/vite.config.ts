import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The widget's frame (frame.html, served at /widget/frame.html) and the demo host page (/demo).
 * The loader script (/widget.js) is built separately by vite.loader.config.ts.
 */
export default defineConfig({
  base: '/widget/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The frame's page allows scripts from its own origin only: no inline polyfill, one bundle.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        frame: resolve(import.meta.dirname, 'frame.html'),
        demo: resolve(import.meta.dirname, 'demo.html'),
      },
    },
  },
});
