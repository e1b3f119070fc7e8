#!/usr/bin/env node
// Bundles the page at build time: src/main.ts (and the @mnist/net/image preprocessing it imports)
// into dist/app.js, src/style.css into dist/app.css, and copies src/index.html. No CDN, nothing
// fetched at run time: @mnist/api serves these three files.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });
mkdirSync(`${root}dist`, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.ts' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: 'linked',
  outdir: 'dist',
  logLevel: 'warning',
});
await build({
  absWorkingDir: root,
  entryPoints: { app: 'src/style.css' },
  bundle: true,
  minify: true,
  outdir: 'dist',
  logLevel: 'warning',
});
copyFileSync(`${root}src/index.html`, `${root}dist/index.html`);
