import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The loader: one small classic script a host page includes with a script tag. */
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: {
      entry: resolve(import.meta.dirname, 'src/loader.ts'),
      formats: ['iife'],
      name: 'ParlourLoader',
      fileName: () => 'widget.js',
    },
  },
});
