/** Checks that the demo's fixed ports are free before anything starts, naming any that is not. */
import net from 'node:net';
import { portPlan } from './topology.ts';

/** Whether 127.0.0.1:`port` can be listened on right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Throws one message listing every taken port of the layout at `base` and what it was for, and
 * how to move the range; resolves when all are free.
 */
export async function assertPortsFree(base: number): Promise<void> {
  const plan = portPlan(base);
  const taken: string[] = [];
  for (const { port, use } of plan) if (!(await isFree(port))) taken.push(`${port} (${use})`);
  if (taken.length) {
    const first = Math.min(...plan.map((p) => p.port));
    const last = Math.max(...plan.map((p) => p.port));
    throw new Error(
      `the demo mesh uses ports ${first}–${last} on 127.0.0.1 and ${taken.length === 1 ? 'this one is' : 'these are'} taken: ${taken.join(', ')}. ` +
        `Stop what uses ${taken.length === 1 ? 'it' : 'them'} (another demo still running?) or move the range with WEFT_DEMO_PORT_BASE=<port>.`,
    );
  }
}
