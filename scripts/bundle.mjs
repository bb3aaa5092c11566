// `npm run bundle`: dist/server.js (tsc's output) and its dependencies bundled as ES modules: the
// entry dist/askara-emulator.mjs, which `npm start` and the container run, and the chunks it
// imports (dist/askara-emulator-*.mjs). A bundle loads in a fraction of the time node's module
// loader takes over node_modules (README, "Start-up time").
import { readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { build } from 'esbuild';

/**
 * @fastify/swagger-ui finds its own files (the UI's scripts and styles, csp.json, the logo) from
 * `__dirname`, which an ES module does not have. In the bundle, its two modules get the directory
 * they have in node_modules, found at run time: the files are served from the installed package.
 */
const swaggerUiDirname = {
  name: 'swagger-ui-dirname',
  setup(b) {
    b.onLoad({ filter: /[\\/]@fastify[\\/]swagger-ui[\\/](index|lib[\\/]routes)\.js$/ }, async ({ path }) => {
      // index.js sits at the package's root, lib/routes.js one folder down
      const sub = /routes\.js$/.test(path) ? 'lib' : '';
      const dir = `require('node:path').join(require('node:path').dirname(require.resolve('@fastify/swagger-ui/package.json')), '${sub}')`;
      return { contents: `var __dirname = ${dir};\n${await readFile(path, 'utf8')}`, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

// the chunks of the previous build (their names carry a hash of their content); they sit next to
// the entry, in dist/, where src/paths.ts finds the package root from any of them
for (const name of readdirSync('dist')) if (/^askara-emulator-.+\.mjs$/.test(name)) rmSync(`dist/${name}`);
await build({
  entryPoints: { 'askara-emulator': 'dist/server.js' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  // the entry stays small (configuration and key generation) and starts a new database's RSA key
  // before node parses the rest of the server, in the chunks it imports
  splitting: true,
  chunkNames: 'askara-emulator-[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // native addons stay in node_modules
  external: ['better-sqlite3', 'argon2'],
  // CommonJS modules in the bundle call require() for node's built-ins
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  plugins: [swaggerUiDirname],
  logLevel: 'warning',
});
