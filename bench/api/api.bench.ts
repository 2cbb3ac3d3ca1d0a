/**
 * bench/api — what the control plane's HTTP stack costs per request.
 *
 * One run measures, on the same machine and load generator:
 *   baseline        a bare node:http server answering a fixed JSON body (the floor)
 *   /healthz        the control plane's server, no database work
 *   REST health     /api/v1/health: REST adapter → tRPC caller → service → 2 database round trips
 *   tRPC health     /trpc/health.status: the same procedure through tRPC's HTTP adapter
 * and prints each as a ratio to the baseline.
 *
 *   npm run bench -- api [--seconds 5] [--connections 10]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@weft/db/testing';
import { spawnControlPlane, waitUntilReady } from '../../apps/control-plane/src/runtime/testing.ts';
import { measure, table, type LoadResult } from '../lib/load.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' } } });
const opts = { seconds: Number(values.seconds), connections: Number(values.connections) };

const body = JSON.stringify({ status: 'ok' });
const baseline = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/`;

const db = await createTestDatabase();
const cp = await spawnControlPlane({ DATABASE_URL: db.url, WEFT_LOG_LEVEL: 'warn' });
try {
  await waitUntilReady(cp);
  const rows: LoadResult[] = [];
  rows.push(await measure('baseline (bare node:http)', baselineUrl, opts));
  rows.push(await measure('control plane /healthz', `${cp.url}/healthz`, opts));
  rows.push(await measure('REST /api/v1/health', `${cp.url}/api/v1/health`, opts));
  rows.push(await measure('tRPC health.status', `${cp.url}/trpc/health.status`, opts));
  console.log(`\nbench/api: ${opts.connections} connections, ${opts.seconds} s per case, loopback, load generator in the same machine\n`);
  console.log(table(rows));
} finally {
  await cp.stop();
  await db.drop();
  baseline.close();
}
