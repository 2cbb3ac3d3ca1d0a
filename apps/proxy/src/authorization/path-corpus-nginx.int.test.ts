/**
 * The path-normalisation corpus with nginx as the application: nginx decodes, merges slashes and
 * resolves dot segments itself, and serves /admin (and /admin/…) with 200. Through the real
 * inbound listener with an enforced DENY on `/admin` and `/admin/*`, nginx's access log (its own
 * normalized `$uri`) must never show /admin. Skipped when nginx is not installed
 * (`apt-get install nginx`). Loopback only; nginx runs in the foreground from a temp dir.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startInbound, type Listening } from '../listeners/testing.ts';
import { createInboundAuthorizer } from './authorizer.ts';
import { DENY_ADMIN, sendCorpus, snapshotWithPolicies, unexpectedStatuses } from './testing.ts';

const NGINX = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim() || '/usr/sbin/nginx';
const hasNginx = spawnSync(NGINX, ['-v']).status === 0;

let dir: string;
let nginx: ChildProcess | undefined;
let nginxPort: number;
let inbound: Listening | undefined;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  if (!hasNginx) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'weft-authz-nginx-'));
  nginxPort = await freePort();
  const conf = `
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  log_format uris '$uri';
  access_log ${dir}/access.log uris;
  server {
    listen 127.0.0.1:${nginxPort};
    location = /admin { return 200 "admin\\n"; }
    location /admin/ { return 200 "admin area\\n"; }
    location / { return 200 "ok\\n"; }
  }
}`;
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off; master_process off;'], { stdio: 'ignore' });
  await eventually(() => canConnect(nginxPort), 5_000, 'nginx to listen');
  inbound = await startInbound(snapshotWithPolicies(nginxPort, [DENY_ADMIN]), { authorize: createInboundAuthorizer().authorize });
});

afterAll(async () => {
  await inbound?.close();
  if (nginx !== undefined) {
    const exited = new Promise((r) => nginx!.once('exit', r));
    nginx.kill('SIGTERM');
    await exited;
  }
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('path corpus through the inbound listener to nginx', () => {
  it.skipIf(!hasNginx)('nginx never serves /admin to a request the DENY should stop; malformed paths get 400', async () => {
    // nginx itself serves every spelling as /admin when asked directly: the corpus is meaningful.
    const direct = await fetch(`http://127.0.0.1:${nginxPort}/x/%2e%2e//%61dmin`);
    expect(await direct.text()).toBe('admin\n');

    const results = await sendCorpus(inbound!.port);
    expect(unexpectedStatuses(results)).toEqual([]);
    await eventually(() => readFileSync(path.join(dir, 'access.log'), 'utf8').trim().split('\n').length >= 6, 3_000, 'the access log');
    const uris = readFileSync(path.join(dir, 'access.log'), 'utf8').trim().split('\n').slice(1); // first line: the direct request
    // $uri is nginx's own reading (decoded, slashes merged, dot segments resolved).
    expect(uris.filter((u) => u.toLowerCase() === '/admin' || u.toLowerCase().startsWith('/admin/'))).toEqual([]);
    expect(uris).toEqual(['/admin ', '/admin.', '/administrator', '/public/admin', '/admin?']);
  });
});
