/**
 * Wiring of one `weft-proxy`:
 *
 *   state dir (id, last-known-good) ─▶ config store ◀─ control-plane stream (snapshots, ACK/NACK)
 *   state dir (key, certificate) ─▶ identity manager ◀─▶ CERTIFICATE_PATH (issue, renew at half-life)
 *        its proof authenticates the stream once a certificate is held
 *        build: routing table + rate limiter; swap: cluster pools, sampling
 *   outbound listener (127.0.0.1, HTTP_PROXY)    ─┐
 *   inbound listener (--address, HTTP/1.1 + h2c) ─┴─▶ routing ─▶ clusters ─▶ peers / the app
 *   telemetry ─▶ batches on the stream every flush interval; /metrics on the admin port
 *
 * Starts serving from last-known-good at once when there is one, so a proxy restarted while the
 * control plane is away keeps its workload reachable.
 */
import type http from 'node:http';
import { isIP } from 'node:net';
import type { ProxySnapshot } from '@weft/contracts/snapshot';
import { createAdminServer } from './admin/admin-server.ts';
import { createInboundAuthorizer, createShapeReporter } from './authorization/index.ts';
import { createConfigStore } from './config/config-store.ts';
import { createControlPlaneClient } from './config/control-plane-client.ts';
import type { ProxyOptions } from './config/options.ts';
import { openStateDir } from './config/state-dir.ts';
import { createIdentityManager, type IdentityEvent } from './identity/index.ts';
import { createInboundListener, createListenerStats, createOutboundListener, inboundMtlsMode, listenerStatsText, type ListenerStats } from './listeners/index.ts';
import { createRateLimiter, type RateLimiter } from './resilience/index.ts';
import { buildRoutingTable } from './routing/index.ts';
import { createBatchQueue, createTelemetry, formatAccessLog, PROMETHEUS_CONTENT_TYPE, type TelemetryRecord } from './telemetry/index.ts';
import { clustersWithProtocol, createClusterManager } from './upstream/index.ts';
import type { ClusterManager, RoutingTable } from './data-path.ts';
import type { Logger } from './logger.ts';

export interface RunningProxy {
  proxyId: string;
  ports: { inbound: number; outbound: number; admin: number };
  stop(): Promise<void>;
}

interface Built {
  routing: RoutingTable;
  clusters: ClusterManager;
  rateLimiter: RateLimiter | undefined;
  /** The snapshot as the inbound listener sees it: this instance's app port as the target. */
  inbound: { snapshot: ProxySnapshot };
}

/**
 * The service port this proxy registered forwards to ITS app (`--app`): in local mode several
 * instances of a service run on one machine with different app ports, and the service-wide
 * targetPort (from a Service resource, or another instance's registration) cannot name them all.
 */
function withOwnAppPort(snapshot: ProxySnapshot, servicePort: number, appPort: number): ProxySnapshot {
  const ports = snapshot.inbound.ports.map((p) => (p.port === servicePort ? { ...p, targetPort: appPort } : p));
  return { ...snapshot, inbound: { ...snapshot.inbound, ports } };
}

/** Telemetry batches kept while the control plane is away: a minute at the default 5 s. */
const MAX_QUEUED_BATCHES = 12;

export async function startProxy(options: ProxyOptions, logger: Logger): Promise<RunningProxy> {
  const self = { service: options.service, namespace: options.namespace, version: options.version };
  const [appHost, appPortText] = splitHostPort(options.app);
  const state = await openStateDir(options.stateDir);
  const proxyId = await state.proxyId(options.service);

  const telemetry = createTelemetry({ self, proxyId, samplingPercent: 1 });
  const queue = createBatchQueue(MAX_QUEUED_BATCHES);
  const authorizer = createInboundAuthorizer();
  const shapeReporter = createShapeReporter();
  // mTLS both ways with the workload certificate (identity below) and the snapshot's trust bundle;
  // read per connection, so a rotation or a new bundle applies to the next connection.
  const snapshotNow = (): ProxySnapshot | undefined => store.current()?.snapshot;
  const tls = {
    credentials: () => identity.current(),
    roots: () => snapshotNow()?.trustBundle.roots ?? [],
    trustDomain: () => snapshotNow()?.meshConfig.trustDomain ?? '',
  };
  const clusters = createClusterManager({ onEvent: (e) => logger.debug({ event: e }, 'upstream event'), tls });
  let source: 'none' | 'last-known-good' | 'control-plane' = 'none';
  // Declared before the store: restoring last-known-good swaps, and a swap schedules flushing.
  let flushTimer: NodeJS.Timeout | undefined;
  let flushEvery = 0;
  // Set once the identity manager exists (restoring last-known-good swaps before that).
  let onTrustBundle: ((roots: readonly string[]) => void) | undefined = undefined;

  const store = createConfigStore<Built>({
    self,
    maxRoutes: options.maxRoutes,
    build: (snapshot) => ({
      routing: buildRoutingTable(snapshot),
      clusters,
      rateLimiter: undefined,
      inbound: { snapshot: withOwnAppPort(snapshot, options.servicePort, Number(appPortText)) },
    }),
    onSwap: (next, previous) => {
      // Keep the token bucket when the limit did not change: a new snapshot must not refill it.
      const limit = next.snapshot.inbound.rateLimit;
      const same = previous && JSON.stringify(previous.snapshot.inbound.rateLimit) === JSON.stringify(limit);
      next.built.rateLimiter = same ? previous.built.rateLimiter : limit ? createRateLimiter(limit) : undefined;
      clusters.update(clustersWithProtocol(next.snapshot));
      telemetry.setSamplingPercent(next.snapshot.meshConfig.telemetry.samplingPercent);
      scheduleFlush(next.snapshot);
      onTrustBundle?.(next.snapshot.trustBundle.roots);
    },
    persist: (snapshot) => state.saveLastKnownGood(snapshot),
  });

  const lkg = await state.loadLastKnownGood();
  if (lkg.snapshot) {
    const restored = store.restore(lkg.snapshot);
    if (restored.ok) {
      source = 'last-known-good';
      logger.info({ version: lkg.snapshot.version }, 'serving the last-known-good configuration until the control plane answers');
    } else logger.warn({ error: restored.error }, 'last-known-good configuration cannot be used; waiting for the control plane');
  } else if (lkg.problem) logger.warn({ problem: lkg.problem }, 'no usable last-known-good configuration');

  // Workload identity: loads the persisted certificate (a restart with the control plane away keeps
  // it until expiry), then issues or renews in the background. Issuance failures never stop the proxy.
  // The stream client exists only below; a certificate issued before then needs no nudge.
  let onCertificateIssued: (() => void) | undefined = undefined;
  const identity = createIdentityManager({
    controlPlaneUrl: options.controlPlaneUrl,
    namespace: options.namespace,
    service: options.service,
    proxyId,
    joinToken: options.joinToken,
    apiToken: options.token,
    state,
    trustDomain: () => store.current()?.snapshot.meshConfig.trustDomain,
    onEvent: (e) => {
      logIdentityEvent(logger, e);
      if (e.type === 'issued') onCertificateIssued?.();
    },
  });
  await identity.start();
  onTrustBundle = (roots) => identity.bundleChanged(roots);
  const restoredBundle = store.current()?.snapshot.trustBundle.roots;
  if (restoredBundle) identity.bundleChanged(restoredBundle);

  const listenerTelemetry = options.accessLog
    ? {
        startTrace: telemetry.startTrace,
        record(r: TelemetryRecord) {
          telemetry.record(r);
          process.stdout.write(`${formatAccessLog(r)}\n`);
        },
      }
    : telemetry;
  const onError = (err: unknown, where?: string) => logger.warn({ err: (err as Error)?.message ?? String(err), where }, 'listener error');

  // Every listener's counters, for /metrics (stats-metrics.ts).
  const listenerStats: Array<[string, ListenerStats]> = [];
  const statsFor = (listener: string): ListenerStats => {
    const stats = createListenerStats();
    listenerStats.push([listener, stats]);
    return stats;
  };
  const outboundStats = statsFor('outbound');
  outboundStats.tls = clusters.tlsStats;
  const outbound = createOutboundListener({ config: () => store.current()?.built, self, telemetry: listenerTelemetry, onError, stats: outboundStats, meshMtls: true });
  const inbound = createInboundListener({
    config: () => store.current()?.built.inbound,
    authorize: authorizer.authorize,
    appHost,
    telemetry: listenerTelemetry,
    rateLimiter: () => store.current()?.built.rateLimiter,
    onError,
    stats: statsFor('inbound'),
    // Before the first snapshot the mode is unknown: STRICT, so nothing is served in plain text.
    tls: { ...tls, mode: () => { const s = snapshotNow(); return s ? inboundMtlsMode(s) : 'STRICT'; } },
  });
  const admin = createAdminServer({
    notReadyReason: () => {
      const reasons = [store.current() ? undefined : 'no configuration yet: the control plane has not sent one and there is no last-known-good', identity.notReadyReason()];
      return reasons.filter((r) => r !== undefined).join('; ') || undefined;
    },
    config: () => {
      const active = store.current();
      return {
        proxyId,
        workload: self,
        source,
        stream: client.state(),
        version: active?.snapshot.version ?? null,
        appliedAt: active ? new Date(active.appliedAt).toISOString() : null,
        snapshot: active?.snapshot ?? null,
      };
    },
    metrics: () => ({ contentType: PROMETHEUS_CONTENT_TYPE, body: telemetry.metricsText({ queue }) + listenerStatsText(listenerStats) + authorizer.metricsText() + identity.metricsText() }),
  });

  const inboundHost = isIP(options.address) ? options.address : '0.0.0.0';
  const servers: Array<[http.Server, number, string, string]> = [
    [outbound, options.outboundPort, '127.0.0.1', '--outbound-port'],
    [inbound, options.inboundPort, inboundHost, '--inbound-port'],
    [admin, options.adminPort, '127.0.0.1', '--admin-port'],
    // Per-upstream local ports: the app dials 127.0.0.1:<localPort> (HTTP/1.1 or h2c) and reaches the service.
    ...options.upstreams.map(({ authority, localPort }): [http.Server, number, string, string] => [
      createOutboundListener({ config: () => store.current()?.built, self, telemetry: listenerTelemetry, onError, fixedAuthority: authority, stats: statsFor(`upstream:${authority}`), meshMtls: true }),
      localPort,
      '127.0.0.1',
      `--upstreams (${authority})`,
    ]),
  ];
  const ports = { outbound: 0, inbound: 0, admin: 0 };
  for (const [server, port, host, flag] of servers) {
    const bound = await listen(server, port, host, flag);
    if (flag === '--outbound-port') ports.outbound = bound;
    else if (flag === '--inbound-port') ports.inbound = bound;
    else if (flag === '--admin-port') ports.admin = bound;
  }

  let lastStreamCredential: 'proof' | 'token' = 'token';
  let proofRefusedOnStream = false;
  const client = createControlPlaneClient({
    url: options.controlPlaneUrl,
    token: options.token,
    // A fresh workload proof per connection attempt once a certificate is held; the API token
    // otherwise — and for good once a proof was refused (a control plane that does not take proofs yet).
    authorization: async ({ previousRefused }) => {
      const bearer = options.token ? `Bearer ${options.token}` : undefined;
      if (previousRefused && lastStreamCredential === 'proof' && bearer) proofRefusedOnStream = true;
      const proof = proofRefusedOnStream ? undefined : await identity.proofHeader();
      lastStreamCredential = proof ? 'proof' : 'token';
      return proof ?? bearer;
    },
    registration: {
      proxyId,
      namespace: options.namespace,
      service: options.service,
      version: options.version,
      address: options.address,
      inboundPort: ports.inbound,
      ports: [{ name: options.protocol === 'tcp' ? 'tcp' : options.protocol === 'grpc' ? 'grpc' : 'http', port: options.servicePort, protocol: options.protocol, targetPort: Number(appPortText) }],
      ...(options.dependencies ? { dependencies: options.dependencies } : {}),
    },
    currentVersion: () => store.current()?.snapshot.version,
    apply: async (raw, version) => {
      const outcome = await store.apply(raw, version, (err) => logger.warn({ err: (err as Error).message }, 'could not save the last-known-good configuration'));
      if (outcome.ok) {
        if (source !== 'control-plane') logger.info({ version }, 'configuration from the control plane applied');
        source = 'control-plane';
      } else logger.warn({ version, error: outcome.error }, 'configuration rejected (NACK); keeping the previous one');
      return outcome;
    },
    logger,
  });
  // A proxy bootstrapping with a join token may be refused before its certificate arrives.
  onCertificateIssued = () => client.credentialsChanged();
  client.start();

  // Telemetry: a delta batch every flush interval; queued (bounded) while the stream is down.
  function scheduleFlush(snapshot?: ProxySnapshot): void {
    const every = snapshot?.meshConfig.telemetry.flushIntervalMs ?? 5_000;
    if (every === flushEvery && flushTimer) return;
    flushEvery = every;
    if (flushTimer) clearInterval(flushTimer);
    flushTimer = setInterval(flush, every);
    flushTimer.unref();
  }
  function flush(): void {
    const batch = telemetry.takeBatch();
    if (batch) queue.push(batch);
    // What the inbound side saw, for the control plane's "what would this policy deny?" preview.
    shapeReporter.report(authorizer.drainRequestShapes(), (requests) => client.send({ type: 'requests', requests }));
    for (let b = queue.peek(); b; b = queue.peek()) {
      if (!client.send({ type: 'telemetry', batch: b })) break;
      queue.shift();
    }
  }
  scheduleFlush(store.current()?.snapshot);

  logger.info({ proxyId, ...self, ports, controlPlane: options.controlPlaneUrl }, 'weft-proxy started');
  return {
    proxyId,
    ports,
    async stop() {
      if (flushTimer) clearInterval(flushTimer);
      identity.stop();
      flush();
      await client.stop({ goodbye: true });
      await Promise.all(
        servers.map(
          ([server]) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeIdleConnections();
              setTimeout(() => server.closeAllConnections(), 5_000).unref();
            }),
        ),
      );
      await clusters.close();
    },
  };
}

function logIdentityEvent(logger: Logger, e: IdentityEvent): void {
  const { type, ...fields } = e;
  if (type === 'issued') logger.info(fields, 'workload certificate issued');
  else if (type === 'loaded') logger.info(fields, 'workload certificate loaded from the state dir');
  else if (type === 'expired') logger.error(fields, 'workload certificate expired: no workload credentials until renewal succeeds');
  else if (type === 'failed') logger.warn(fields, 'workload certificate request failed; retrying');
  else if (type === 'refused') logger.warn(fields, 'the control plane refused a credential for the certificate request; trying the next');
  else if (type === 'load-problem') logger.warn(fields, 'persisted workload identity not used');
  else if (type === 'persist-failed') logger.warn(fields, 'could not save the workload certificate to the state dir');
  else logger.warn(fields, 'identity listener failed');
}

function splitHostPort(value: string): [string, string] {
  const i = value.lastIndexOf(':');
  return [value.slice(0, i).replace(/^\[|\]$/g, ''), value.slice(i + 1)];
}

function listen(server: http.Server, port: number, host: string, flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const hint = err.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use; pick another with ${flag}` : `${err.code ?? err.message}`;
      reject(new Error(`cannot listen (${flag}): ${hint}`));
    });
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}
