/**
 * What bench/proxy reads of other processes from /proc (Linux): CPU seconds (utime + stime of
 * /proc/<pid>/stat) and memory (VmRSS sampled, VmHWM the kernel's peak), summed over a group of
 * pids (nginx: master + worker; weft two hops: both proxies).
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / clockTicks();
  } catch {
    return 0;
  }
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export const rssMiB = (pid: number) => statusKb(pid, 'VmRSS') / 1024;
export const hwmMiB = (pid: number) => statusKb(pid, 'VmHWM') / 1024;

/** Direct children of a process (nginx's workers). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Samples the summed VmRSS of each pid every `everyMs` while running; `stop()` gives the peak per pid. */
export function sampleRss(pids: number[], everyMs = 100): { stop(): number[] } {
  const peak = pids.map((p) => rssMiB(p));
  const timer = setInterval(() => pids.forEach((p, i) => (peak[i] = Math.max(peak[i]!, rssMiB(p)))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      pids.forEach((p, i) => (peak[i] = Math.max(peak[i]!, rssMiB(p))));
      return peak;
    },
  };
}

export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}
