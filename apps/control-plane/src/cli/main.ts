/**
 * Entry point of the `weft` CLI (started by ../../bin/weft.mjs, which picks a Node that can run
 * TypeScript). Sets the exit code and lets the process end on its own, so output is flushed.
 */
import { processIO } from './io.ts';
import { run } from './program.ts';

// `weft get routes -A | head`: the reader went away; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await run(process.argv.slice(2), processIO());
