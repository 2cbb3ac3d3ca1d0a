/**
 * The path-normalisation corpus against the real inbound listener and a real Node http
 * application that records every request-target it receives: with an enforced DENY on `/admin`
 * and `/admin/*` and defaultAuthorization allow, no spelling of /admin reaches the app as /admin,
 * malformed paths get 400, and what the app receives is the normalized path. nginx as the
 * application: path-corpus-nginx.int.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h2cRequest, httpRequest, startApp, startInbound, type Listening, type TestApp } from '../listeners/testing.ts';
import { createInboundAuthorizer, type InboundAuthorizerHandle } from './authorizer.ts';
import { DENY_ADMIN, PATH_CORPUS, readsAsAdmin, sendCorpus, snapshotWithPolicies, unexpectedStatuses } from './testing.ts';

let app: TestApp;
let inbound: Listening;
let authorizer: InboundAuthorizerHandle;

beforeAll(async () => {
  app = await startApp((req, res) => res.end(`seen ${req.url}`));
  authorizer = createInboundAuthorizer();
  inbound = await startInbound(snapshotWithPolicies(app.port, [DENY_ADMIN]), { authorize: authorizer.authorize });
});

afterAll(async () => {
  await inbound?.close();
  await app?.close();
});

describe('path corpus through the inbound listener to a Node http app', () => {
  it('no spelling of /admin reaches the app as /admin; malformed ones get 400', async () => {
    const results = await sendCorpus(inbound.port);
    expect(unexpectedStatuses(results)).toEqual([]);
    const received = app.seen.map((r) => r.url);
    expect(received.filter(readsAsAdmin)).toEqual([]);
    // Everything that passed arrived in normalized form.
    expect(received).toEqual(['/admin%20', '/admin.', '/administrator', '/public/admin', '/admin%3F']);
    expect(PATH_CORPUS.filter((c) => c.expect === 'pass')).toHaveLength(received.length);
  });

  it('forwards the normalized path with the query as received; 403 names the policy', async () => {
    const before = app.seen.length;
    const ok = await httpRequest(inbound.port, { path: '//public/./x/../%7euser?a=%2f..&b', headers: { host: 'payments.shop' } });
    expect(ok.status).toBe(200);
    expect(app.seen.slice(before).map((r) => r.url)).toEqual(['/public/~user?a=%2f..&b']);
    const denied = await httpRequest(inbound.port, { path: '/%61dmin/', headers: { host: 'payments.shop' } });
    expect(denied.status).toBe(403);
    expect(denied.headers['x-weft-reason']).toBe('denied by AuthorizationPolicy shop/deny-admin rule 0');
    expect(denied.headers['x-weft-denied-by']).toBe('shop/deny-admin');
    expect(JSON.parse(denied.body)).toEqual({ error: 'denied by AuthorizationPolicy shop/deny-admin rule 0', status: 403 });
    const malformed = await httpRequest(inbound.port, { path: '/admin;x', headers: { host: 'payments.shop' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers['x-weft-reason']).toBe("malformed request path: path parameters (';') are not accepted");
  });

  it('applies the same normalisation to h2c requests (:path)', async () => {
    const status = async (p: string) => (await h2cRequest(inbound.port, { ':method': 'GET', ':path': p, ':authority': 'payments.shop' })).headers[':status'];
    expect(await status('/%61dmin')).toBe(403);
    expect(await status('//ADMIN/')).toBe(403);
    expect(await status('/x;y')).toBe(400);
    expect(await status('/%2561dmin')).toBe(400);
    const before = app.seen.length;
    expect(await status('/x/../ok/%7e')).toBe(200);
    expect(app.seen.slice(before).map((r) => r.url)).toEqual(['/ok/~']);
  });

  it('counts decisions and malformed paths in metricsText', () => {
    const text = authorizer.metricsText();
    expect(text).toMatch(/^weft_proxy_authz_decisions_total\{policy="shop\/deny-admin",rule="0",result="deny"\} \d+$/m);
    expect(text).toMatch(/^weft_proxy_authz_decisions_total\{policy="mesh-default",rule="",result="allow"\} \d+$/m);
    expect(text).toMatch(/^weft_proxy_authz_invalid_paths_total [1-9]\d*$/m);
  });
});
