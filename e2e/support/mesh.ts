/**
 * A mesh with recorded traffic, set up through the control plane's REST API as a team would:
 *
 *   admin (REST, through the console's /api proxy) ─▶ team + namespace + members + editor API token
 *   the token ─▶ a proxy stream (WebSocket, STREAM_PATH, `weft.stream.v1`) ─▶ hello, then request
 *     shapes, as an inbound proxy reports them ─▶ the control plane records them (every
 *     WEFT_REQUEST_SHAPE_FLUSH, set short in playwright.config.ts), and telemetry batches
 *     (`{type: 'telemetry'}`, rolled up every WEFT_TELEMETRY_FLUSH, also set short there)
 *
 * The proxy is simulated (no data plane) but speaks the real protocol, so what the console shows
 * is what the control plane recorded.
 */
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';
import { STREAM_PATH, STREAM_SUBPROTOCOL, type ClientMessage, type ProxyList, type Registration } from '@weft/contracts/snapshot';
import { LATENCY_BUCKET_COUNT, TelemetryBatchSchema, type TelemetryBatch } from '@weft/contracts/telemetry';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { Account } from './accounts.ts';
import { CONTROL_PLANE_URL } from './servers.ts';

/** One request shape of a `requests` report (packages/contracts/src/request-shapes.ts). */
export type RequestShape = Extract<ClientMessage, { type: 'requests' }>['requests']['shapes'][number];

async function json<T>(response: APIResponse, expected = 200): Promise<T> {
  expect(response.status(), `${response.url()}: ${await response.text()}`).toBe(expected);
  return (await response.json()) as T;
}

/** An admin's REST session: the cookie is the request context's, the CSRF token goes on every write. */
export class AdminApi {
  readonly #request: APIRequestContext;
  readonly #csrf: string;

  private constructor(request: APIRequestContext, csrf: string) {
    this.#request = request;
    this.#csrf = csrf;
  }

  static async signIn(request: APIRequestContext, admin: Account): Promise<AdminApi> {
    await json(await request.post('/api/v1/auth/login', { data: { username: admin.username, password: admin.password } }));
    const { csrfToken } = await json<{ csrfToken: string }>(await request.get('/api/v1/auth/whoami'));
    return new AdminApi(request, csrfToken);
  }

  #send(method: 'post' | 'put', path: string, data: unknown): Promise<APIResponse> {
    return this.#request[method](path, { data, headers: { 'x-weft-csrf': this.#csrf } });
  }

  /**
   * Creates the team, or finds it when it exists: a retried spec runs its set-up again in a new
   * worker against the same database, so set-up helpers are idempotent.
   */
  async createTeam(name: string, displayName: string): Promise<{ id: string }> {
    const response = await this.#send('post', '/api/v1/teams', { name, displayName });
    if (response.status() !== 409) return json(response);
    const teams = await json<Array<{ id: string; name: string }>>(await this.#request.get('/api/v1/teams'));
    const existing = teams.find((team) => team.name === name);
    if (!existing) throw new Error(`team ${name}: 409 on create, yet not listed`);
    return existing;
  }

  async assignNamespace(namespace: string, teamId: string): Promise<void> {
    await json(await this.#send('put', `/api/v1/namespaces/${namespace}`, { teamId }));
  }

  /** Creates the account; one that exists already (a retried spec's set-up) is left as it is. */
  async createUser(account: Account): Promise<void> {
    const response = await this.#send('post', '/api/v1/users', account);
    if (response.status() !== 409) await json(response);
  }

  async setMember(teamId: string, username: string, role: 'viewer' | 'editor' | 'owner'): Promise<void> {
    await json(await this.#send('put', `/api/v1/teams/${teamId}/members/${username}`, { role }));
  }

  /** A team API token's secret (shown once). */
  async createToken(teamId: string, name: string, role: 'viewer' | 'editor'): Promise<string> {
    return (await json<{ secret: string }>(await this.#send('post', `/api/v1/teams/${teamId}/tokens`, { name, role }))).secret;
  }

  /** A root rotation step, as another admin would take it (`POST /api/v1/identity/ca/rotation/{step}`). */
  async rotate(step: 'start' | 'activate' | 'finish'): Promise<{ phase: string }> {
    return json(await this.#send('post', `/api/v1/identity/ca/rotation/${step}`, {}));
  }

  /** Applies a resource document (`PUT /api/v1/namespaces/{ns}/{plural}/{name}`), with the revision's message. */
  async apply(namespace: string, plural: string, document: { metadata: { name: string }; [field: string]: unknown }, message?: string): Promise<void> {
    await json(await this.#send('put', `/api/v1/namespaces/${namespace}/${plural}/${document.metadata.name}`, { document, ...(message ? { message } : {}) }));
  }

  /** `GET /api/v1/proxies?namespace=`: the fleet as the Proxies page gets it. */
  async proxies(namespace: string): Promise<ProxyList> {
    return json(await this.#request.get(`/api/v1/proxies?namespace=${namespace}`));
  }

  /** `GET …/authorization/hits`: what the console's table is built from. */
  async hits(namespace: string, window = '1h'): Promise<{ requests: number; policies: Array<{ name: string; denied: number }> }> {
    return json(await this.#request.get(`/api/v1/namespaces/${namespace}/authorization/hits?window=${window}`));
  }
}

export interface RecordingProxyOptions {
  /** Rejects every snapshot with this error (`{type: 'nack'}`) instead of acknowledging it. */
  nack?: string;
}

/**
 * A simulated inbound proxy on a real stream: registers, acknowledges each snapshot (or rejects
 * it, with `nack`), then reports request shapes.
 */
export class RecordingProxy {
  readonly #ws: WebSocket;
  readonly #proxyId: string;
  readonly #runId = randomBytes(8).toString('hex');
  #seq = 0;
  readonly welcome: Promise<void>;

  constructor(token: string, registration: Registration, options: RecordingProxyOptions = {}) {
    this.#proxyId = registration.proxyId;
    this.#ws = new WebSocket(new URL(STREAM_PATH, CONTROL_PLANE_URL.replace(/^http/, 'ws')), STREAM_SUBPROTOCOL, { headers: { authorization: `Bearer ${token}` } });
    this.welcome = new Promise((resolve, reject) => {
      this.#ws.on('open', () => this.#ws.send(JSON.stringify({ type: 'hello', registration })));
      this.#ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { type: string; version?: string; code?: string; message?: string };
        if (message.type === 'welcome') resolve();
        else if (message.type === 'error') reject(new Error(`proxy stream: ${message.code}: ${message.message}`));
        // Snapshots are accepted as they come, as a proxy serving them would (or all rejected).
        else if (message.type === 'snapshot')
          this.#ws.send(JSON.stringify(options.nack === undefined ? { type: 'ack', version: message.version } : { type: 'nack', version: message.version, error: options.nack }));
      });
      this.#ws.on('unexpected-response', (_req, res) => reject(new Error(`proxy stream: upgrade refused with HTTP ${res.statusCode}`)));
      this.#ws.on('error', reject);
      this.#ws.on('close', (code, reason) => reject(new Error(`proxy stream closed before welcome: ${code} ${reason.toString()}`)));
    });
  }

  /** One report of what the proxy saw in the last few seconds (`{type: 'requests'}`). */
  report(shapes: RequestShape[], dropped = 0): void {
    const endMs = Date.now();
    this.#ws.send(JSON.stringify({ type: 'requests', requests: { window: { startMs: endMs - 5_000, endMs }, shapes, dropped } }));
  }

  /**
   * One telemetry batch (`{type: 'telemetry'}`, TelemetryBatchSchema). Identity, window, spans and
   * `dropped` default to this proxy's and now; a caller may give them (traces.spec.ts sends spans).
   */
  telemetry(batch: Omit<TelemetryBatch, 'proxyId' | 'runId' | 'seq' | 'window' | 'spans' | 'dropped'> & Partial<TelemetryBatch>): void {
    const endMs = Date.now();
    const full: TelemetryBatch = { proxyId: this.#proxyId, runId: this.#runId, seq: this.#seq++, window: { startMs: endMs - 5_000, endMs }, spans: [], dropped: { series: 0, spans: 0, batches: 0 }, ...batch };
    this.#ws.send(JSON.stringify({ type: 'telemetry', batch: TelemetryBatchSchema.parse(full) }));
  }

  /** Leaves the mesh (the control plane deregisters the proxy at once), then closes. */
  goodbye(): void {
    this.#ws.send(JSON.stringify({ type: 'goodbye' }));
    this.#ws.close();
  }

  close(): void {
    this.#ws.terminate();
  }
}

/** A latency histogram with every request in one bucket (the `bucket`-th LATENCY_BUCKETS_MS bound). */
export function histogram(requests: number, bucket: number, sumMs: number): TelemetryBatch['series'][number]['latency'] {
  return { counts: Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => (i === bucket ? requests : 0)), sumMs };
}
