/**
 * A `postmaster.pid` left in the data directory by a previous run.
 *
 * - Its process is gone: PostgreSQL would cope, but we remove the file and say so.
 * - Its pid now belongs to an unrelated process (common after a container restart): PostgreSQL
 *   would refuse to start ("Is another postmaster running?"), so we remove the file.
 * - It is a postmaster on this very data directory whose Node parent is gone (the previous Weft
 *   process was killed with SIGKILL, leaving PostgreSQL orphaned): we shut it down and take over.
 * - It is a postmaster on this data directory whose parent is alive: another Weft process is
 *   using this state directory; that is an error.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseStartupError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { commandLine, isAlive, parentPid, sleep } from './system.ts';

/** The pid on the first line of `postmaster.pid`, or undefined if there is no such file. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function clearStalePostmaster(dataDir: string, logger: Logger): Promise<void> {
  const pid = postmasterPid(dataDir);
  if (pid === undefined) return;
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!isAlive(pid)) {
    rmSync(pidFile, { force: true });
    logger.warn({ pid, pidFile }, 'removed a stale postmaster.pid left by a previous run that did not stop cleanly');
    return;
  }
  const argv = commandLine(pid);
  if (!argv) return; // no /proc: leave the decision to PostgreSQL
  const isOurPostmaster = (argv[0] ?? '').endsWith('postgres') && argv.includes(dataDir);
  if (!isOurPostmaster) {
    rmSync(pidFile, { force: true });
    logger.warn({ pid, pidFile }, 'removed a stale postmaster.pid whose pid now belongs to another process');
    return;
  }
  const ppid = parentPid(pid);
  const parentArgv = ppid !== undefined && ppid > 1 ? commandLine(ppid) : undefined;
  if (parentArgv?.some((arg) => /node/.test(path.basename(arg)))) {
    throw new DatabaseStartupError(
      `The embedded PostgreSQL for ${dataDir} is already running (pid ${pid}, started by process ${ppid}): stop that process first, or set WEFT_HOME to another directory`,
    );
  }
  logger.warn({ pid, dataDir }, 'stopping an embedded PostgreSQL left running by a previous run that was killed');
  await shutDown(pid, dataDir);
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT) if it takes too long. */
async function shutDown(pid: number, dataDir: string): Promise<void> {
  for (const [signal, waitMs] of [['SIGINT', 10_000], ['SIGQUIT', 5_000]] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    for (const deadline = Date.now() + waitMs; Date.now() < deadline; await sleep(100)) {
      if (!isAlive(pid)) return;
    }
  }
  throw new DatabaseStartupError(`An orphaned PostgreSQL (pid ${pid}) on ${dataDir} does not stop: kill it, then start again`);
}
