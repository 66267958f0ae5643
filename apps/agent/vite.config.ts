import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The agent workspace, served by the Parlour server at /agent/. */
export default defineConfig({
  base: '/agent/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
