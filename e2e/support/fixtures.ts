/**
 * The browser tests' `test`: Playwright's, plus
 * - page objects: `overviewPage`, `shell`, `loginPage`, `teamsPage`, `teamPage`, `usersPage`,
 *   `tokensPage`, `auditPage`, `sessionsPage`, `passwordPage`, `authorizationPage`, `identityPage`,
 *   `fleetPage`, `tracesPage`, `topologyPage`, `changesPage`, `policiesPage`;
 * - `signIn(account)`, which signs the page's browser context in through the API (for tests
 *   that are not about the sign-in form);
 * - `controlPlane`, a typed client of the control plane's REST API (through the console's
 *   same-origin /api proxy), to compare what the page shows with what the API says;
 * - `shopMesh` (per worker, set up on first use): the namespace `shop` of team shop-team, with an
 *   editor (SANA) and a viewer (OMAR), and traffic recorded by a proxy of its service payments
 *   (which uses the team's editor API token, also given to tests that need one);
 * - a check that the page logged no errors (hydration mismatches, exceptions…). A test that
 *   provokes errors on purpose lists them with `test.use(allowConsoleErrors(/…/, /…/))`;
 *   patterns are matched against `<message> [<url of the resource or script>]`.
 * Specs import `test` and `expect` (and the accounts) from here.
 */
import path from 'node:path';
import { test as base, expect, type APIRequestContext, type APIResponse, type Page } from '@playwright/test';
import { HealthStatusSchema, type HealthStatus } from '@weft/contracts';
import { AccountPages } from '../pages/account-pages.ts';
import { AuditPage } from '../pages/audit-page.ts';
import { AuthorizationPage } from '../pages/authorization-page.ts';
import { ChangesPage } from '../pages/changes-page.ts';
import { FleetPage } from '../pages/fleet-page.ts';
import { IdentityPage } from '../pages/identity-page.ts';
import { LoginPage } from '../pages/login-page.ts';
import { OverviewPage } from '../pages/overview-page.ts';
import { PoliciesPage } from '../pages/policies-page.ts';
import { ServicesPage } from '../pages/services-page.ts';
import { Shell } from '../pages/shell.ts';
import { TeamPage, TeamsPage } from '../pages/teams-page.ts';
import { TokensPage } from '../pages/tokens-page.ts';
import { TracesPage } from '../pages/traces-page.ts';
import { TopologyPage } from '../pages/topology-page.ts';
import { UsersPage } from '../pages/users-page.ts';
import { ADMIN, OMAR, SANA, type Account } from './accounts.ts';
import { AdminApi, RecordingProxy, type RequestShape } from './mesh.ts';
import { ARTIFACTS_DIR, CONSOLE_URL } from './servers.ts';

export { ADMIN, OMAR, SANA, VERA, WEAK_PASSWORD, type Account } from './accounts.ts';

/** A full-page screenshot kept in e2e/artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** The browser's console error for a tRPC call answered with `status` on purpose. */
export function failedCall(status: 400 | 401 | 403 | 409 | 429, procedure: string): RegExp {
  return new RegExp(`status of ${status} \\([A-Za-z ]+\\) \\[[^\\]]*/trpc/[^?\\]]*${procedure.replace('.', '\\.')}`);
}

const FRONTEND = 'spiffe://weft.local/ns/shop/sa/frontend';
const BATCH = 'spiffe://weft.local/ns/jobs/sa/batch';

/**
 * What the proxy of shop/payments reports having seen: 175 requests, 10 of them to /admin or
 * below (7 + 3, all from frontend).
 */
export const SHOP_TRAFFIC: RequestShape[] = [
  { principal: FRONTEND, method: 'GET', path: '/orders', port: 80, count: 120 },
  { principal: FRONTEND, method: 'GET', path: '/admin', port: 80, count: 7 },
  { principal: FRONTEND, method: 'POST', path: '/admin/users', port: 80, count: 3 },
  { principal: BATCH, method: 'DELETE', path: '/orders/1', port: 80, count: 5 },
  { principal: null, method: 'GET', path: '/healthz', port: 80, count: 40 },
];

export interface ShopMesh {
  namespace: 'shop';
  service: 'payments';
  /** Requests recorded (the sum of SHOP_TRAFFIC). */
  recorded: number;
  /** The secret of shop-team's editor API token (`payments-proxy`). */
  editorToken: string;
}

export class ControlPlaneApi {
  readonly #request: APIRequestContext;

  constructor(request: APIRequestContext) {
    this.#request = request;
  }

  /** `GET /api/v1/health`, validated with the contracts schema. */
  async health(): Promise<HealthStatus> {
    const response = await this.#request.get('/api/v1/health');
    expect(response.status(), await response.text()).toBe(200);
    return HealthStatusSchema.parse(await response.json());
  }

  /** `GET /api/v1/auth/whoami` with an API token, and nothing else (this context has no cookies). */
  whoamiWithToken(secret: string): Promise<APIResponse> {
    return this.#request.get('/api/v1/auth/whoami', { headers: { Authorization: `Bearer ${secret}` } });
  }
}

/**
 * Console errors every test may cause: a signed-out page asks `auth.whoami`, and its 401 is the
 * answer "nobody is signed in" — the browser logs it as a failed resource load.
 */
const SIGNED_OUT_PROBE = /status of 401 \(Unauthorized\) \[[^\]]*\/trpc\/[^?\]]*auth\.whoami/;

/**
 * `test.use(allowConsoleErrors(a, b))`. (A bare `[a, b]` would not do: Playwright reads an array
 * whose second item is an object — a RegExp is one — as a `[value, fixture options]` pair.)
 */
export function allowConsoleErrors(...patterns: RegExp[]): { expectedConsoleErrors: [RegExp[], { scope: 'test' }] } {
  return { expectedConsoleErrors: [patterns, { scope: 'test' }] };
}

interface Options {
  /** Console errors this test provokes on purpose; any other error fails the test. */
  expectedConsoleErrors: RegExp[];
}

interface WorkerFixtures {
  shopMesh: ShopMesh;
}

interface Fixtures {
  overviewPage: OverviewPage;
  servicesPage: ServicesPage;
  authorizationPage: AuthorizationPage;
  identityPage: IdentityPage;
  fleetPage: FleetPage;
  tracesPage: TracesPage;
  topologyPage: TopologyPage;
  changesPage: ChangesPage;
  policiesPage: PoliciesPage;
  shell: Shell;
  loginPage: LoginPage;
  teamsPage: TeamsPage;
  teamPage: TeamPage;
  usersPage: UsersPage;
  tokensPage: TokensPage;
  auditPage: AuditPage;
  accountPages: AccountPages;
  controlPlane: ControlPlaneApi;
  /** Signs the page's context in as `account` (POST /api/v1/auth/login; the cookie is the context's). */
  signIn: (account: Account) => Promise<void>;
  pageErrors: void;
}

export const test = base.extend<Options & Fixtures, WorkerFixtures>({
  expectedConsoleErrors: [[], { option: true }],

  pageErrors: [
    async ({ page, expectedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = `${message.text()} [${message.location().url}]`;
        if (SIGNED_OUT_PROBE.test(text)) return;
        if (!expectedConsoleErrors.some((pattern) => pattern.test(text))) errors.push(text);
      });
      await use();
      expect(errors, 'errors logged by the page').toEqual([]);
    },
    { auto: true },
  ],

  overviewPage: async ({ page }, use) => use(new OverviewPage(page)),
  shell: async ({ page }, use) => use(new Shell(page)),
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  teamsPage: async ({ page }, use) => use(new TeamsPage(page)),
  teamPage: async ({ page }, use) => use(new TeamPage(page)),
  usersPage: async ({ page }, use) => use(new UsersPage(page)),
  tokensPage: async ({ page }, use) => use(new TokensPage(page)),
  auditPage: async ({ page }, use) => use(new AuditPage(page)),
  accountPages: async ({ page }, use) => use(new AccountPages(page)),
  authorizationPage: async ({ page }, use) => use(new AuthorizationPage(page)),
  identityPage: async ({ page }, use) => use(new IdentityPage(page)),
  fleetPage: async ({ page }, use) => use(new FleetPage(page)),
  tracesPage: async ({ page }, use) => use(new TracesPage(page)),
  topologyPage: async ({ page }, use) => use(new TopologyPage(page)),
  changesPage: async ({ page }, use) => use(new ChangesPage(page)),
  policiesPage: async ({ page }, use) => use(new PoliciesPage(page)),
  servicesPage: async ({ page }, use) => use(new ServicesPage(page)),

  shopMesh: [
    async ({ playwright }, use) => {
      const request = await playwright.request.newContext({ baseURL: CONSOLE_URL });
      const admin = await AdminApi.signIn(request, ADMIN);
      const team = await admin.createTeam('shop-team', 'Shop');
      await admin.assignNamespace('shop', team.id);
      for (const [account, role] of [[SANA, 'editor'], [OMAR, 'viewer']] as const) {
        await admin.createUser(account);
        await admin.setMember(team.id, account.username, role);
      }
      const token = await admin.createToken(team.id, 'payments-proxy', 'editor');
      const proxy = new RecordingProxy(token, { proxyId: 'payments-1', namespace: 'shop', service: 'payments', version: 'v1', address: '127.0.0.1', inboundPort: 15006 });
      await proxy.welcome;
      proxy.report(SHOP_TRAFFIC);
      const recorded = SHOP_TRAFFIC.reduce((sum, shape) => sum + shape.count, 0);
      await expect.poll(async () => (await admin.hits('shop')).requests, { timeout: 20_000, message: 'the reported traffic is recorded' }).toBe(recorded);
      await use({ namespace: 'shop', service: 'payments', recorded, editorToken: token });
      proxy.close();
      await request.dispose();
    },
    { scope: 'worker' },
  ],

  controlPlane: async ({ request }, use) => {
    await use(new ControlPlaneApi(request));
  },

  signIn: async ({ page }, use) => {
    await use(async (account) => {
      const response = await page.request.post('/api/v1/auth/login', { data: { username: account.username, password: account.password } });
      expect(response.status(), await response.text()).toBe(200);
    });
  },
});

export { expect };
