/**
 * `npm run generate -w @weft/db` (root: `npm run db:generate`): writes the Prisma client to
 * packages/db/src/generated/prisma, offline.
 *
 * `prisma generate` itself never runs the schema engine, but Prisma 7's CLI resolves (and, when
 * absent, downloads) the native engine binary before any command — and its download host is
 * unreachable here. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing executable satisfies the
 * lookup; we use this Node binary. The generated client is Rust-free (it talks to PostgreSQL via
 * @prisma/adapter-pg) and, with `importFileExtension = "ts"`, plain erasable TypeScript that Node
 * 24 loads directly — checked after generating.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../paths.ts';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const clientEntry = path.resolve(import.meta.dirname, '../generated/prisma/client.ts');

const result = spawnSync(process.execPath, [prismaCli, 'generate'], {
  cwd: REPO_ROOT, // where prisma.config.ts is
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    CHECKPOINT_DISABLE: '1', // no update check against Prisma's servers
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.status !== 0) {
  console.error(`generate: prisma generate failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
  process.exit(1);
}

try {
  const client = (await import(pathToFileURL(clientEntry).href)) as { PrismaClient?: unknown };
  if (typeof client.PrismaClient !== 'function') throw new Error('it does not export PrismaClient');
} catch (err) {
  console.error(`generate: the generated client at ${clientEntry} does not load under Node's type stripping: ${(err as Error).message}`);
  process.exit(1);
}
console.log(`generate: client loads under Node ${process.versions.node}`);
