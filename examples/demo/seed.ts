/**
 * Seeds the demo's mesh through the control plane's REST API, as an admin: teams, namespaces,
 * users and memberships, the MeshConfig and the shop's resources. Idempotent and respectful of
 * later changes: it creates what is missing and never overwrites what exists, so a second run
 * keeps whatever a tutorial (or you) changed in the console.
 */
import type { ControlPlaneApi } from './api.ts';
import { DEMO_USERS, type DemoPassword } from './credentials.ts';
import { DEMO_WORKLOADS } from './topology.ts';

/** The teams and the namespaces they own. */
export const DEMO_TEAMS = [
  { name: 'shop-team', displayName: 'Shop', namespaces: ['shop'] },
  { name: 'platform-team', displayName: 'Platform', namespaces: ['platform'] },
] as const;

type Document = { apiVersion: 'weft.dev/v1alpha1'; kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };

const PLURAL: Record<string, string> = { Service: 'services', HTTPRoute: 'httproutes', TrafficPolicy: 'trafficpolicies', AuthorizationPolicy: 'authorizationpolicies' };
const doc = (kind: string, namespace: string, name: string, spec: Record<string, unknown>): Document => ({ apiVersion: 'weft.dev/v1alpha1', kind, metadata: { name, namespace }, spec });

/** The resources of the demo mesh, in an order in which each one's references already exist. */
export function demoResources(): Document[] {
  const services = new Map<string, { namespace: string; versions: Set<string> }>();
  for (const w of DEMO_WORKLOADS) {
    const entry = services.get(w.service) ?? { namespace: w.namespace, versions: new Set<string>() };
    entry.versions.add(w.version);
    services.set(w.service, entry);
  }
  return [
    ...[...services].map(([name, { namespace, versions }]) =>
      doc('Service', namespace, name, {
        ports: [{ name: 'http', port: 80, protocol: 'http' }],
        ...(versions.size > 1 ? { versions: [...versions].map((v) => ({ name: v, labels: { version: v } })) } : {}),
      }),
    ),
    // v2 is deployed but gets nothing yet: the tutorial's canary starts from here.
    doc('HTTPRoute', 'shop', 'recommendations', {
      parentRefs: [{ kind: 'Service', name: 'recommendations', port: 80 }],
      rules: [{ backendRefs: [{ name: 'recommendations', subset: 'v1', weight: 100 }, { name: 'recommendations', subset: 'v2', weight: 0 }] }],
    }),
    // Charges carry an idempotency key (checkout sends one), so retrying a POST is safe.
    doc('TrafficPolicy', 'shop', 'payments', {
      targetRef: { kind: 'Service', name: 'payments' },
      timeouts: { connect: '1s', request: '3s' },
      retries: { attempts: 2, perTryTimeout: '1s', retryOn: ['connect-failure', 'refused-stream', '5xx'], retryNonIdempotent: true, budget: { percent: 20, minRetriesPerSecond: 5 } },
    }),
    // A trial run: only storefront should call checkout. Audit mode reports, never denies.
    doc('AuthorizationPolicy', 'shop', 'checkout-callers', {
      targetRef: { kind: 'Service', name: 'checkout' },
      action: 'ALLOW',
      mode: 'audit',
      rules: [{ from: [{ services: ['storefront'] }] }],
    }),
  ];
}

/** What the seed did, for one line of output. */
export interface SeedReport {
  created: string[];
}

/** Makes sure the demo's teams, namespaces, users, MeshConfig and resources exist. */
export async function seedDemo(api: ControlPlaneApi, passwords: DemoPassword[]): Promise<SeedReport> {
  const created: string[] = [];

  const teams = (await api.expect('GET', '/teams')).body as { id: string; name: string }[];
  const teamIds = new Map(teams.map((t) => [t.name, t.id]));
  for (const team of DEMO_TEAMS) {
    if (!teamIds.has(team.name)) {
      const res = await api.expect('POST', '/teams', { name: team.name, displayName: team.displayName });
      teamIds.set(team.name, res.body.id as string);
      created.push(`team ${team.name}`);
    }
  }

  const namespaces = (await api.expect('GET', '/namespaces')).body as { name: string }[];
  for (const team of DEMO_TEAMS) {
    for (const namespace of team.namespaces) {
      if (namespaces.some((n) => n.name === namespace)) continue;
      await api.expect('PUT', `/namespaces/${namespace}`, { teamId: teamIds.get(team.name) });
      created.push(`namespace ${namespace}`);
    }
  }

  const users = (await api.expect('GET', '/users')).body as { id: string; username: string }[];
  for (const person of DEMO_USERS) {
    const { password, fresh } = passwords.find((p) => p.username === person.username)!;
    const existing = users.find((u) => u.username === person.username);
    if (!existing) {
      await api.expect('POST', '/users', { username: person.username, displayName: person.displayName, password });
      created.push(`user ${person.username}`);
    } else if (fresh) {
      // The password file was lost but the account was not: give it the password we will print.
      await api.expect('POST', `/users/${existing.id}/password`, { password });
    }
    const teamId = teamIds.get(person.team)!;
    const members = (await api.expect('GET', `/teams/${teamId}/members`)).body as { username: string }[];
    if (!members.some((m) => m.username === person.username)) {
      await api.expect('PUT', `/teams/${teamId}/members/${person.username}`, { role: person.role });
      created.push(`${person.username} ${person.role} of ${person.team}`);
    }
  }

  // STRICT is the default; written out so the console shows where mTLS comes from.
  if ((await api.request('GET', '/cluster/meshconfigs/default')).status === 404) {
    await api.expect('PUT', '/cluster/meshconfigs/default', {
      document: { apiVersion: 'weft.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'default' }, spec: { mtls: { mode: 'STRICT' }, defaultAuthorization: 'allow', telemetry: { samplingPercent: 5 } } },
      message: 'demo: mTLS STRICT, 5 % of requests traced',
    });
    created.push('MeshConfig default');
  }

  for (const resource of demoResources()) {
    const path = `/namespaces/${resource.metadata.namespace}/${PLURAL[resource.kind]}/${resource.metadata.name}`;
    if ((await api.request('GET', path)).status !== 404) continue;
    await api.expect('PUT', path, { document: resource, message: 'demo: initial setup' });
    created.push(`${resource.kind} ${resource.metadata.namespace}/${resource.metadata.name}`);
  }
  return { created };
}

/** A join token per service for this run's proxies; `revoke` removes them once the proxies hold certificates. */
export interface JoinTokens {
  /** `service.namespace` → the secret. */
  secrets: Map<string, string>;
  revoke(): Promise<void>;
}

/**
 * Creates one short-lived join token per demo service (used as many times as it has instances).
 * A proxy that still holds a valid certificate from a previous run renews with that instead.
 */
export async function createJoinTokens(api: ControlPlaneApi): Promise<JoinTokens> {
  const instances = new Map<string, { namespace: string; service: string; count: number }>();
  for (const w of DEMO_WORKLOADS) {
    const key = `${w.service}.${w.namespace}`;
    const entry = instances.get(key) ?? { namespace: w.namespace, service: w.service, count: 0 };
    entry.count++;
    instances.set(key, entry);
  }
  const secrets = new Map<string, string>();
  const created: { namespace: string; id: string }[] = [];
  for (const [key, { namespace, service, count }] of instances) {
    const res = await api.expect('POST', `/namespaces/${namespace}/join-tokens`, { service, expiresIn: '15m', maxUses: count });
    secrets.set(key, res.body.secret as string);
    created.push({ namespace, id: res.body.token.id as string });
  }
  return {
    secrets,
    async revoke() {
      for (const { namespace, id } of created) await api.request('DELETE', `/namespaces/${namespace}/join-tokens/${id}`);
    },
  };
}
