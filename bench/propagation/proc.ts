/**
 * What the bench reads of other processes from /proc (Linux): CPU time (utime + stime of
 * /proc/<pid>/stat; process.cpuUsage() covers only the calling process), resident memory (VmRSS,
 * sampled, and VmHWM, the kernel's own peak), and this process's limits.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond: number | undefined;

/** USER_HZ: the unit of utime/stime (100 on Linux x86_64; asked of getconf once). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) the process has used so far; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) — utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export const rssMiB = (pid: number) => (statusKb(pid, 'VmRSS') ?? 0) / 1024;
export const peakRssMiB = (pid: number) => (statusKb(pid, 'VmHWM') ?? 0) / 1024;

/** The soft limit on open files of this process (children inherit it). */
export function openFilesLimit(): number {
  const m = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
}

/** How many local ports the kernel hands out to outgoing connections. */
export function ephemeralPorts(): number {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return hi! - lo! + 1;
  } catch {
    return Infinity;
  }
}

/** Samples the RSS of some processes every `everyMs`, keeping each one's peak; `take()` resets. */
export function rssSampler(pids: Record<string, number>, everyMs = 100) {
  let peaks: Record<string, number> = {};
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) peaks[name] = Math.max(peaks[name] ?? 0, rssMiB(pid));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    /** The peaks since the last take (sampling now once more), and starts over. */
    take(): Record<string, number> {
      sample();
      const out = peaks;
      peaks = {};
      sample();
      return out;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * CPU seconds of named sets of processes, from now: `read(pids)` sums each set's growth since the
 * meter started (a pid first seen in `read` started later and counts from 0; one that ended before
 * `read` is lost — the sets here are long-lived processes).
 */
export function cpuMeter(initial: Record<string, number[]>) {
  const start = new Map<number, number>();
  for (const list of Object.values(initial)) for (const pid of list) start.set(pid, cpuSeconds(pid) ?? 0);
  return {
    read(current: Record<string, number[]>): Record<string, number> {
      const out: Record<string, number> = {};
      for (const [name, list] of Object.entries(current)) {
        out[name] = list.reduce((sum, pid) => {
          const now = cpuSeconds(pid);
          return now === undefined ? sum : sum + Math.max(0, now - (start.get(pid) ?? 0));
        }, 0);
      }
      return out;
    },
  };
}
