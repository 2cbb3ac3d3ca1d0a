/**
 * `weft-proxy` options: each flag has an environment variable of the same meaning
 * (`--admin-port` ⇔ `WEFT_PROXY_ADMIN_PORT`); a flag wins over the environment.
 */
import { parseArgs } from 'node:util';
import { JOIN_TOKEN_PREFIX } from '@weft/contracts/identity';
import { z } from 'zod';

interface OptionSpec {
  flag: string;
  env: string;
  description: string;
  default?: string;
}

/** Every option, in the order `--help` prints them. */
export const OPTION_SPECS: OptionSpec[] = [
  { flag: 'control-plane', env: 'WEFT_CONTROL_PLANE_URL', description: 'Control-plane base URL', default: 'http://127.0.0.1:7070' },
  { flag: 'token', env: 'WEFT_PROXY_TOKEN', description: "API token with the editor role on the namespace's team (prefer the env variable: flags show in ps)" },
  { flag: 'join-token', env: 'WEFT_PROXY_JOIN_TOKEN', description: 'Single-use join token (weft_join_…) for the first workload certificate; later ones are renewed with the certificate itself' },
  { flag: 'service', env: 'WEFT_SERVICE', description: 'Name of the service this proxy fronts (required)' },
  { flag: 'namespace', env: 'WEFT_NAMESPACE', description: 'Namespace of the service', default: 'default' },
  { flag: 'version', env: 'WEFT_VERSION_LABEL', description: 'Version label of this workload (e.g. v1)', default: 'v1' },
  { flag: 'app', env: 'WEFT_APP_ADDRESS', description: "The app's local address, host:port (its port is the service port's target)", default: '127.0.0.1:8080' },
  { flag: 'service-port', env: 'WEFT_SERVICE_PORT', description: 'The port clients call the service on (payments:80)', default: '80' },
  { flag: 'protocol', env: 'WEFT_SERVICE_PROTOCOL', description: 'Protocol of the service port: http, http2, grpc or tcp', default: 'http' },
  { flag: 'dependencies', env: 'WEFT_DEPENDENCIES', description: 'Services this workload calls, comma-separated (name or name.namespace); unset: all' },
  { flag: 'upstreams', env: 'WEFT_PROXY_UPSTREAMS', description: 'Per-upstream local ports (HTTP/1.1 and h2c, for gRPC clients): service[.namespace]:port=localPort, comma-separated' },
  { flag: 'address', env: 'WEFT_PROXY_ADDRESS', description: "Where peers reach this proxy's inbound listener (IP or host name)", default: '127.0.0.1' },
  { flag: 'inbound-port', env: 'WEFT_PROXY_INBOUND_PORT', description: 'Inbound listener port', default: '15006' },
  { flag: 'outbound-port', env: 'WEFT_PROXY_OUTBOUND_PORT', description: 'Outbound (HTTP proxy) listener port', default: '15001' },
  { flag: 'admin-port', env: 'WEFT_PROXY_ADMIN_PORT', description: 'Admin port: /live, /ready, /config, /metrics', default: '15000' },
  { flag: 'state-dir', env: 'WEFT_PROXY_STATE_DIR', description: 'Directory for last-known-good config and keys', default: '.weft/proxy' },
  { flag: 'access-log', env: 'WEFT_PROXY_ACCESS_LOG', description: 'JSON access log on stdout: on or off', default: 'off' },
  { flag: 'log-level', env: 'WEFT_PROXY_LOG_LEVEL', description: 'error, warn, info or debug', default: 'info' },
  { flag: 'max-routes', env: 'WEFT_PROXY_MAX_ROUTES', description: 'Most routes a snapshot may hold (all outbound services); a larger one is NACKed. 0: no limit', default: '0' },
];

const port = (name: string) =>
  z.coerce.number({ message: `${name} must be a port number` }).int(`${name} must be an integer`).min(1, `${name} must be 1-65535`).max(65535, `${name} must be 1-65535`);

const hostPort = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

const OptionsSchema = z.object({
  controlPlaneUrl: z.url({ message: '--control-plane must be an http(s) URL', protocol: /^https?$/ }),
  token: z.string().optional(),
  joinToken: z.string().startsWith(JOIN_TOKEN_PREFIX, `--join-token must start with ${JOIN_TOKEN_PREFIX}`).optional(),
  service: z
    .string({ message: '--service is required' })
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, '--service must be a DNS label (lower-case letters, digits, -)'),
  namespace: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, '--namespace must be a DNS label'),
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, '--version must be a label value such as v1'),
  app: z.string().regex(hostPort, '--app must be host:port, e.g. 127.0.0.1:8080'),
  servicePort: port('--service-port'),
  protocol: z.enum(['http', 'http2', 'grpc', 'tcp'], { message: '--protocol must be http, http2, grpc or tcp' }),
  dependencies: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : v.split(',').map((d) => d.trim()).filter(Boolean)))
    .pipe(z.array(z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)?$/, '--dependencies must be service or service.namespace names, comma-separated')).optional()),
  upstreams: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const out: Array<{ authority: string; localPort: number }> = [];
      for (const item of (v ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
        const m = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)?):(\d{1,5})=(\d{1,5})$/.exec(item);
        const port = Number(m?.[5]);
        const localPort = Number(m?.[6]);
        if (!m || port < 1 || port > 65535 || localPort < 1 || localPort > 65535) {
          ctx.addIssue({ code: 'custom', message: `--upstreams: '${item}' is not service[.namespace]:port=localPort (e.g. payments.shop:9090=19090)` });
          return z.NEVER;
        }
        out.push({ authority: `${m[1]}:${port}`, localPort });
      }
      return out;
    }),
  address: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, '--address must be an IP address or a host name'),
  inboundPort: port('--inbound-port'),
  outboundPort: port('--outbound-port'),
  adminPort: port('--admin-port'),
  stateDir: z.string().min(1),
  accessLog: z.enum(['on', 'off'], { message: '--access-log must be on or off' }).transform((v) => v === 'on'),
  logLevel: z.enum(['error', 'warn', 'info', 'debug'], { message: '--log-level must be error, warn, info or debug' }),
  maxRoutes: z.coerce.number({ message: '--max-routes must be a number' }).int('--max-routes must be an integer').min(0, '--max-routes must be 0 (no limit) or more'),
});
export type ProxyOptions = z.infer<typeof OptionsSchema>;

export type ParseResult = { kind: 'help' } | { kind: 'options'; options: ProxyOptions } | { kind: 'error'; message: string };

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Parses argv (without node and script) and the environment. Never throws. */
export function parseOptions(argv: string[], env: Record<string, string | undefined>): ParseResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(OPTION_SPECS.map((o) => [o.flag, { type: 'string' as const }])),
      },
    });
    values = parsed.values;
  } catch (err) {
    return { kind: 'error', message: `${(err as Error).message} (see weft-proxy --help)` };
  }
  if (values.help) return { kind: 'help' };

  const raw: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) {
    const key = spec.flag === 'control-plane' ? 'controlPlaneUrl' : camel(spec.flag);
    raw[key] = (values[spec.flag] as string | undefined) ?? env[spec.env] ?? spec.default;
  }
  const result = OptionsSchema.safeParse(raw);
  if (!result.success) return { kind: 'error', message: result.error.issues.map((i) => i.message).join('; ') };
  return { kind: 'options', options: result.data };
}

export function helpText(): string {
  const rows = OPTION_SPECS.map((o) => {
    const def = o.default ? ` (default ${o.default})` : '';
    return `  --${o.flag.padEnd(16)} ${o.description}${def}\n  ${''.padEnd(18)} env ${o.env}`;
  });
  return [
    'weft-proxy — the Weft data plane, one per workload.',
    '',
    'Usage: weft-proxy --service NAME [options]',
    '',
    'Options:',
    ...rows,
    '  -h, --help             Show this help',
    '',
    'The proxy registers with the control plane, receives its configuration as snapshots',
    '(kept in --state-dir as last-known-good), forwards the app\'s outbound calls (set',
    'HTTP_PROXY=http://127.0.0.1:<outbound-port> in the app) and its inbound traffic, and',
    'serves /live, /ready, /config and /metrics on --admin-port. See docs/proxy.md.',
  ].join('\n');
}
