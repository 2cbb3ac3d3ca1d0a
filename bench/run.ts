/**
 * `npm run bench -- <name> [options]`: runs one benchmark from bench/<name>/<name>.bench.ts.
 * Without a name, lists them. Results belong in docs/benchmarks.md with the command and machine.
 */
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const benchDir = import.meta.dirname;
const available = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(benchDir, d.name, `${d.name}.bench.ts`)))
  .map((d) => d.name);

const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  if (name) console.error(`bench: no benchmark named '${name}'.`);
  console.log(`Benchmarks: ${available.join(', ')}\nRun one with: npm run bench -- <name>`);
  process.exit(name ? 2 : 0);
}
// --expose-gc: benchmarks that report memory collect first (bench/telemetry).
const result = spawnSync(process.execPath, ['--expose-gc', path.join(benchDir, name, `${name}.bench.ts`), ...rest], { stdio: 'inherit' });
process.exit(result.status ?? 1);
