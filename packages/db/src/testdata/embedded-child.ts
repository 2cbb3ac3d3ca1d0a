/**
 * Child process for the embedded-PostgreSQL tests: starts it, prints "ready", and stops it on
 * SIGTERM. Killed with SIGKILL, it leaves an orphaned PostgreSQL behind, as a crashed Weft would.
 * Usage: node embedded-child.ts <stateDir> <port>
 */
import { startEmbeddedPostgres } from '../embedded.ts';

const [stateDir, port] = process.argv.slice(2);
const server = await startEmbeddedPostgres({ stateDir: stateDir!, port: Number(port) });
process.on('SIGTERM', () => {
  void server.stop().then(() => process.exit(0));
});
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
