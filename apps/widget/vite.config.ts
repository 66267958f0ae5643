import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The widget's frame (frame.html, served at /widget/frame.html) and the demo host page (/demo).
 * The loader script (/widget.js) is built separately by vite.loader.config.ts.
 */
export default defineConfig({
  base: '/widget/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        frame: resolve(import.meta.dirname, 'frame.html'),
        demo: resolve(import.meta.dirname, 'demo.html'),
      },
    },
  },
});
