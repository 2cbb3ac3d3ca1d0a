/**
 * The Policies area, as editors and a viewer of namespace `mall` (team mall-team) use it. Four
 * simulated proxies on real streams (storefront → reco v1/v2, payments) acknowledge the
 * snapshots they are sent, so delivery is real: a route for reco reaches storefront's proxy.
 *
 * Journeys: the list and its filters and export; a policy's delivery and history; a TrafficPolicy
 * edited in YAML with mistakes reported at their field and line, reviewed (diff, blast radius)
 * and applied with a message; a revert through the same review; a viewer who can read but not
 * apply (and whose forged request the server refuses); two editors on one policy, the second
 * getting the conflict view; a new policy from a template; an import of several documents.
 */
import { readFile } from 'node:fs/promises';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { PoliciesPage } from '../pages/policies-page.ts';
import type { Account } from '../support/accounts.ts';
import { AdminApi, RecordingProxy } from '../support/mesh.ts';
import { CONSOLE_URL } from '../support/servers.ts';
import { ADMIN, allowConsoleErrors, expect as baseExpect, failedCall, screenshot, test } from '../support/fixtures.ts';

// First renders of a page share two cores with the control plane and the console.
const expect = baseExpect.configure({ timeout: 15_000 });

const NS = 'mall';
const LEO: Account = { username: 'leo', password: 'saffron-glacier-orbit-731', displayName: 'Leo Brandt' };
const MIA: Account = { username: 'mia', password: 'velvet-compass-harbor-264', displayName: 'Mia Santos' };
const VIC: Account = { username: 'vic', password: 'granite-meadow-lumen-815', displayName: 'Vic Osei' };

const doc = (kind: string, name: string, spec: unknown) => ({ apiVersion: 'weft.dev/v1alpha1', kind, metadata: { name }, spec });
const RETRY_POLICY = doc('TrafficPolicy', 'payments', { targetRef: { kind: 'Service', name: 'payments' }, timeouts: { request: '3s' }, retries: { attempts: 2, perTryTimeout: '1s' } });
const SPLIT = doc('HTTPRoute', 'reco-split', {
  parentRefs: [{ kind: 'Service', name: 'reco' }],
  rules: [{ backendRefs: [{ name: 'reco', subset: 'v1', weight: 100 }, { name: 'reco', subset: 'v2', weight: 0 }] }],
});

const contexts: APIRequestContext[] = [];
const proxies: RecordingProxy[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  const request = await playwright.request.newContext({ baseURL: CONSOLE_URL });
  contexts.push(request);
  const admin = await AdminApi.signIn(request, ADMIN);
  const team = await admin.createTeam('mall-team', 'Mall');
  await admin.assignNamespace(NS, team.id);
  for (const [account, role] of [[LEO, 'editor'], [MIA, 'editor'], [VIC, 'viewer']] as const) {
    await admin.createUser(account);
    await admin.setMember(team.id, account.username, role);
  }
  const token = await admin.createToken(team.id, 'mall-proxies', 'editor');
  const base = { namespace: NS, address: '127.0.0.1' };
  proxies.push(
    new RecordingProxy(token, { ...base, proxyId: 'storefront-1', service: 'storefront', version: 'v1', inboundPort: 15006, dependencies: ['reco', 'payments'] }),
    new RecordingProxy(token, { ...base, proxyId: 'reco-1', service: 'reco', version: 'v1', inboundPort: 15007, dependencies: [] }),
    new RecordingProxy(token, { ...base, proxyId: 'reco-2', service: 'reco', version: 'v2', inboundPort: 15008, dependencies: [] }),
    new RecordingProxy(token, { ...base, proxyId: 'payments-1', service: 'payments', version: 'v1', inboundPort: 15009, dependencies: [] }),
  );
  await Promise.all(proxies.map((p) => p.welcome));
  for (const service of ['reco', 'payments']) await admin.apply(NS, 'services', doc('Service', service, { ports: [{ name: 'http', port: 80 }] }), `add ${service}`);
  // The replica learns of the Services by notification: writes naming them are retried until it has.
  const soon = { timeout: 20_000 };
  await expect(() => admin.apply(NS, 'httproutes', SPLIT, 'all of reco on v1')).toPass(soon);
  await expect(() => admin.apply(NS, 'trafficpolicies', RETRY_POLICY, 'retry payments twice')).toPass(soon);
});

test.afterAll(async () => {
  for (const p of proxies) p.close();
  for (const c of contexts) await c.dispose();
});

/** A signed-in page of its own (a second editor in another browser). */
async function signedInPage(browser: Browser, account: Account): Promise<{ page: Page; policies: PoliciesPage; close(): Promise<void> }> {
  const context = await browser.newContext({ baseURL: CONSOLE_URL, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const response = await page.request.post('/api/v1/auth/login', { data: { username: account.username, password: account.password } });
  expect(response.status()).toBe(200);
  return { page, policies: new PoliciesPage(page), close: () => context.close() };
}

test.describe('Policies', () => {
  // The editor's dry runs of a draft with mistakes are answered 400, and an apply over a newer
  // revision 409: the browser logs both as failed loads.
  test.use(allowConsoleErrors(failedCall(400, 'resources.put'), failedCall(409, 'resources.put')));

  test('the list shows what each policy says, filters it, and exports it as YAML', async ({ page, signIn, policiesPage }) => {
    await signIn(LEO);
    await policiesPage.goto(`namespace=${NS}`);
    await expect(policiesPage.rows).toHaveCount(2);
    await expect(policiesPage.rows.first()).toContainText('reco-split');
    await expect(policiesPage.rows.first()).toContainText('default: reco/v1 100%, reco/v2 0%');
    await expect(policiesPage.rows.nth(1)).toContainText('timeouts (request 3s), retries (2 attempts)');

    await policiesPage.filters.getByLabel('Kind').selectOption('TrafficPolicy');
    await policiesPage.filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/kind=TrafficPolicy/);
    await expect(policiesPage.rows).toHaveCount(1);
    await policiesPage.filters.getByLabel('Labels').fill('tier=gold');
    await policiesPage.filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect(policiesPage.main.getByText('No policies match these filters')).toBeVisible();

    await policiesPage.goto(`namespace=${NS}`);
    const [download] = await Promise.all([page.waitForEvent('download'), policiesPage.main.getByRole('button', { name: 'Download these 2 as YAML' }).click()]);
    const exported = await readFile(await download.path(), 'utf8');
    expect(exported).toContain('kind: HTTPRoute');
    expect(exported).toContain('---\n');
    expect(exported).not.toContain('resourceVersion');
    await screenshot(page, 'policies-list');
  });

  test("a policy's page: which proxies have it, its spec and its history", async ({ page, signIn, policiesPage }) => {
    await signIn(LEO);
    await policiesPage.open(NS, 'httproutes', 'reco-split');
    await expect(page.getByRole('heading', { level: 1, name: 'reco-split' })).toBeVisible();
    // The route shapes the outbound config of storefront, the one proxy that calls reco.
    await expect(policiesPage.delivery.getByRole('status')).toContainText(/\d+ synced/);
    await expect(policiesPage.delivery.getByRole('table')).toContainText('storefront-1');
    await expect(policiesPage.main.getByRole('region', { name: 'Current spec' })).toContainText('weight: 100');
    await expect(policiesPage.revision(1)).toContainText('all of reco on v1');
    await screenshot(page, 'policy-detail');
  });

  test("an editor shifts reco's split from 100/0 to 80/20 with the slider, reviews its reach, applies it, and reverts it", async ({ page, signIn, policiesPage }) => {
    await signIn(LEO);
    await policiesPage.open(NS, 'httproutes', 'reco-split', 'edit');
    await expect(policiesPage.validation).toHaveText(/No problems found/);
    const form = policiesPage.main.getByRole('group', { name: 'Form' });
    // The slider rebalances the other version: 20 % to v2 leaves 80 % on v1, in the YAML too.
    await form.getByRole('slider', { name: 'v2' }).fill('20');
    await expect(form.getByRole('spinbutton', { name: 'v1, percent of requests' })).toHaveValue('80');
    await expect.poll(() => policiesPage.yamlText()).toMatch(/subset: v1\n\s+weight: 80[\s\S]*subset: v2\n\s+weight: 20/);
    await expect(policiesPage.validation).toHaveText(/No problems found · would change the config of [1-9]\d* of \d+ proxies/);
    await screenshot(page, 'policy-split-form');

    await policiesPage.review.click();
    await expect(policiesPage.main.getByRole('region', { name: /^Review: / })).toContainText(/Reaches [1-9]\d* of \d+ proxies/);
    await expect(policiesPage.blastRadius.getByRole('table', { name: 'Proxies whose config would change' })).toContainText('mall/storefront v1');
    await policiesPage.message.fill('canary: 20 % of reco to v2');
    await policiesPage.main.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(page).toHaveURL(/applied=2$/);
    await expect(page.getByRole('banner').or(policiesPage.main).getByText('default: reco/v1 80%, reco/v2 20%')).toBeVisible();
    await expect(policiesPage.delivery.getByRole('status')).toContainText(/\d+ synced/);

    // Undo it from the history: the split returns to 100/0.
    await policiesPage.revision(1).getByRole('button', { name: 'Revert to #1' }).click();
    await policiesPage.message.fill('roll the canary back');
    await policiesPage.main.getByRole('button', { name: 'Revert to revision 1' }).click();
    await expect(page).toHaveURL(/applied=3$/);
    await expect(policiesPage.main.getByText('default: reco/v1 100%, reco/v2 0%')).toBeVisible();
  });

  test('editing a TrafficPolicy in YAML: mistakes at their field and line, review, apply with a message', async ({ page, signIn, policiesPage }) => {
    await signIn(LEO);
    await policiesPage.open(NS, 'trafficpolicies', 'payments', 'edit');
    await expect(policiesPage.validation).toHaveText(/No problems found/);
    const original = await policiesPage.yamlText();
    expect(original).toContain('attempts: 2');

    // Completion names what the mesh has: the namespace's services where a service goes.
    const lines = original.split('\n');
    const targetRef = lines.findIndex((l) => /^\s+targetRef:/.test(l));
    const nameLine = lines.findIndex((l, i) => i > targetRef && /^\s+name: payments$/.test(l));
    await policiesPage.setYaml([...lines.slice(0, nameLine), lines[nameLine]!.replace('payments', 'pay')].join('\n'));
    await page.keyboard.press('Control+Space');
    await expect(page.getByRole('listbox')).toContainText('payments');
    await page.keyboard.press('Escape');

    // A typo in a field name: the schema has no `atempts`.
    await policiesPage.setYaml(original.replace('attempts: 2', 'atempts: 3'));
    const typoLine = original.split('\n').findIndex((l) => l.includes('attempts: 2')) + 1;
    await expect(policiesPage.validation).toHaveText('2 errors');
    await expect(policiesPage.problems).toContainText(`spec.retries.atempts (line ${typoLine}): unknown field; did you mean 'attempts'?`);
    await expect(policiesPage.problems).toContainText(`spec.retries.attempts (line ${typoLine - 1}): required`);
    await expect(policiesPage.markedLines()).toHaveCount(2);
    await screenshot(page, 'policy-editor-typo');

    // A value out of range, at its own line.
    await policiesPage.setYaml(original.replace('attempts: 2', 'attempts: 30'));
    await expect(policiesPage.problems).toContainText(`spec.retries.attempts (line ${typoLine})`);

    await policiesPage.setYaml(original.replace('attempts: 2', 'attempts: 3'));
    await expect(policiesPage.validation).toHaveText(/No problems found · would change the config of [1-9]\d* of \d+ proxies/);
    await policiesPage.review.click();
    const review = policiesPage.main.getByRole('region', { name: /^Review: / });
    await expect(review).toContainText('Updates');
    await expect(review).toContainText(/Reaches [1-9]\d* of \d+ proxies/);
    await expect(policiesPage.blastRadius.getByRole('table', { name: 'Proxies whose config would change' })).toContainText('mall/storefront v1');
    await expect(policiesPage.blastRadius.getByLabel(/^Compiled config diff of /)).toContainText('attempts');
    await expect(policiesPage.main.getByRole('region', { name: 'The resource, before and after' })).toContainText('attempts: 3');
    const apply = policiesPage.main.getByRole('button', { name: 'Apply', exact: true });
    await expect(apply).toBeDisabled();
    await policiesPage.message.fill('retry three times after the incident');
    await screenshot(page, 'policy-review');
    await apply.click();

    await expect(page).toHaveURL(/\/policies\/mall\/trafficpolicies\/payments\?applied=2$/);
    await expect(policiesPage.main.getByText('Applied revision 2.')).toBeVisible();
    await expect(policiesPage.revision(2)).toContainText('leo updated it — “retry three times after the incident”');
    await expect(policiesPage.delivery.getByRole('status')).toContainText(/\d+ synced/);
  });

  test('a revert goes through the same review and restores the earlier spec', async ({ page, signIn, policiesPage }) => {
    await signIn(LEO);
    await policiesPage.open(NS, 'trafficpolicies', 'payments');
    await policiesPage.revision(2).getByRole('button', { name: 'Show changes' }).click();
    await expect(policiesPage.revision(2).getByLabel('Changes from revision 1 to 2')).toContainText('+    attempts: 3');
    await policiesPage.revision(1).getByRole('button', { name: 'Revert to #1' }).click();
    await expect(policiesPage.main.getByRole('region', { name: /^Review: Revert/ })).toContainText(/Reaches [1-9]\d* of \d+ proxies/);
    await policiesPage.message.fill('back to two retries');
    await policiesPage.main.getByRole('button', { name: 'Revert to revision 1' }).click();
    await expect(page).toHaveURL(/applied=3$/);
    await expect(policiesPage.main.getByRole('region', { name: 'Current spec' })).toContainText('attempts: 2');
    await expect(policiesPage.revision(3)).toContainText('leo reverted it — “back to two retries”');
  });

  test('a viewer reads policies but cannot apply, and the server refuses a forged write', async ({ page, signIn, policiesPage }) => {
    await signIn(VIC);
    await policiesPage.goto(`namespace=${NS}`);
    await expect(policiesPage.rows).toHaveCount(2);
    await expect(policiesPage.main.getByRole('link', { name: 'New policy' })).toHaveCount(0);
    await policiesPage.open(NS, 'trafficpolicies', 'payments');
    await expect(policiesPage.revision(1)).toBeVisible();
    await expect(policiesPage.main.getByRole('link', { name: 'Edit' })).toHaveCount(0);
    await expect(policiesPage.main.getByRole('button', { name: /^Revert/ })).toHaveCount(0);

    await policiesPage.open(NS, 'trafficpolicies', 'payments', 'edit');
    await expect(policiesPage.main).toContainText('Read-only: you are a viewer of mall-team');
    await expect(policiesPage.yaml).toHaveAttribute('aria-readonly', 'true');
    await expect(policiesPage.review).toHaveCount(0);

    const { csrfToken } = (await (await page.request.get('/api/v1/auth/whoami')).json()) as { csrfToken: string };
    const forged = await page.request.put(`/api/v1/namespaces/${NS}/trafficpolicies/payments`, { data: { document: RETRY_POLICY, message: 'forged' }, headers: { 'x-weft-csrf': csrfToken } });
    expect(forged.status()).toBe(403);
  });

  test('two editors change the same policy: the second gets the conflict view, not an overwrite', async ({ browser, signIn, policiesPage, page }) => {
    await signIn(LEO);
    const mia = await signedInPage(browser, MIA);
    try {
      await policiesPage.open(NS, 'trafficpolicies', 'payments', 'edit');
      await mia.policies.open(NS, 'trafficpolicies', 'payments', 'edit');
      await expect(policiesPage.validation).toHaveText(/No problems found/);
      await expect(mia.policies.validation).toHaveText(/No problems found/);
      const base = await policiesPage.yamlText();

      await policiesPage.setYaml(base.replace('attempts: 2', 'attempts: 4'));
      await policiesPage.review.click();
      await policiesPage.message.fill('four retries');
      await policiesPage.main.getByRole('button', { name: 'Apply', exact: true }).click();
      await expect(page).toHaveURL(/applied=4$/);

      // Mia's draft is checked against the stored version as she types: it is out of date.
      await mia.policies.setYaml(base.replace('request: 3s', 'request: 5s'));
      await expect(mia.policies.validation).toContainText('Someone changed this policy since you opened it');
      await mia.policies.review.click();
      const conflict = mia.policies.main.getByRole('region', { name: 'Someone changed this resource while you were editing' });
      await expect(conflict).toContainText('revision 4 (leo');
      await expect(conflict).toContainText('four retries');
      await screenshot(mia.page, 'policy-conflict');
      // Leo changed the retries, Mia the timeout: the merge holds both.
      await expect(conflict).toContainText('Your changes and theirs touch different lines');
      await conflict.getByRole('button', { name: 'Review my merged version' }).click();
      const merged = await mia.policies.yamlText();
      expect(merged).toContain('attempts: 4');
      expect(merged).toContain('request: 5s');
      await mia.policies.review.click();
      await mia.policies.message.fill('slower payments provider, on top of four retries');
      await mia.policies.main.getByRole('button', { name: 'Apply', exact: true }).click();
      await expect(mia.page).toHaveURL(/applied=5$/);
      await expect(mia.policies.main.getByRole('region', { name: 'Current spec' })).toContainText('request: 5s');
      await expect(mia.policies.main.getByRole('region', { name: 'Current spec' })).toContainText('attempts: 4');
    } finally {
      await mia.close();
    }
  });

  test('a new policy starts from a template of its kind and goes through the same review', async ({ page, signIn, policiesPage }) => {
    await signIn(LEO);
    await policiesPage.goto(`namespace=${NS}`);
    await policiesPage.main.getByRole('link', { name: 'New policy' }).click();
    await expect(page).toHaveURL(/\/policies\/new\?namespace=mall/);
    await page.getByLabel('Kind').selectOption('TrafficPolicy');
    await expect(policiesPage.yaml).toContainText('kind: TrafficPolicy');
    const template = await policiesPage.yamlText();
    // payments has a TrafficPolicy already: a new one of that name would replace it, so it is refused.
    await policiesPage.setYaml(template.replaceAll('my-service', 'payments'));
    await expect(policiesPage.problems).toContainText('a TrafficPolicy named payments exists already in mall');
    await expect(policiesPage.review).toBeDisabled();
    await policiesPage.setYaml(template.replaceAll('my-service', 'reco'));
    await expect(policiesPage.validation).toHaveText(/No problems found/);
    await policiesPage.review.click();
    await expect(policiesPage.main.getByRole('region', { name: /^Review: / })).toContainText('Creates');
    await expect(policiesPage.main.getByRole('region', { name: 'The new resource' })).toBeVisible();
    await policiesPage.message.fill('timeouts for reco');
    await policiesPage.main.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(page).toHaveURL(/\/policies\/mall\/trafficpolicies\/reco\?applied=1$/);
  });

  test('an import of several documents is reviewed as a set and applied with progress', async ({ page, signIn, policiesPage }) => {
    await signIn(LEO);
    await page.goto('/policies/import');
    const yaml = [
      'apiVersion: weft.dev/v1alpha1\nkind: AuthorizationPolicy\nmetadata:\n  name: deny-admin\nspec:\n  action: DENY\n  mode: audit\n  rules:\n    - to:\n        - paths: ["/admin"]\n',
      'apiVersion: weft.dev/v1alpha1\nkind: TrafficPolicy\nmetadata:\n  name: reco\nspec:\n  targetRef: {kind: Service, name: reco}\n  timeouts: {request: 2s}\n',
    ].join('---\n');
    await page.getByLabel('Namespace for documents without one').selectOption(NS);
    await page.getByRole('textbox', { name: 'YAML' }).fill(yaml);
    await page.getByRole('button', { name: 'Review' }).click();
    const documents = page.getByRole('table', { name: 'Documents to import' });
    await expect(documents).toContainText('AuthorizationPolicy mall/deny-admin');
    await expect(documents).toContainText('created');
    await expect(documents).toContainText('updated');
    await page.getByRole('textbox', { name: 'Change message' }).fill('import from the runbook');
    await page.getByRole('button', { name: 'Apply 2 changes' }).click();
    await expect(page.getByText('Applied 2 resources')).toBeVisible();
    await screenshot(page, 'policies-import');

    // An AuthorizationPolicy's review also says what it would have denied of recorded traffic.
    await policiesPage.open(NS, 'authorizationpolicies', 'deny-admin', 'edit');
    await expect(policiesPage.validation).toHaveText(/No problems found/);
    await policiesPage.setYaml((await policiesPage.yamlText()).replace('/admin', '/internal'));
    await policiesPage.review.click();
    await expect(policiesPage.main.getByRole('region', { name: 'What it would have denied' })).toContainText('No traffic recorded');
  });

  test('an admin writes the mesh settings through the same review; a team editor reads them', async ({ page, signIn, policiesPage, browser }) => {
    await signIn(ADMIN);
    await page.goto('/mesh-config');
    await expect(policiesPage.main.getByText('No MeshConfig: the defaults apply')).toBeVisible();
    await policiesPage.main.getByRole('link', { name: 'Write one' }).click();
    await expect(page).toHaveURL(/\/mesh-config\/edit$/);
    // The defaults written out change no proxy's config; PERMISSIVE changes every proxy's (the
    // fleet counts other specs' proxies too, so only the shares are checked).
    await expect(policiesPage.validation).toHaveText(/No problems found · would change the config of 0 of \d+ proxies/);
    await policiesPage.setYaml((await policiesPage.yamlText()).replace('mode: STRICT', 'mode: PERMISSIVE'));
    await expect(policiesPage.validation).toHaveText(/No problems found · would change the config of (\d+) of \1 proxies/);
    await policiesPage.review.click();
    await policiesPage.message.fill('accept plain text while the batch jobs migrate');
    await policiesPage.main.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(page).toHaveURL(/\/mesh-config\?applied=1$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Mesh settings' })).toBeVisible();
    await expect(policiesPage.main.getByText('mTLS PERMISSIVE · default authorization allow')).toBeVisible();
    await expect(policiesPage.delivery.getByRole('status')).toContainText(/\d+ synced/);

    // Put it back by deleting it (the defaults apply again), through review.
    await policiesPage.main.getByRole('button', { name: 'Delete' }).click();
    await expect(policiesPage.main.getByRole('region', { name: /^Review: Delete MeshConfig default/ })).toContainText(/Reaches (\d+) of \1 proxies/);
    await policiesPage.message.fill('all clients are on mTLS now');
    await policiesPage.main.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(policiesPage.main.getByText('No MeshConfig: the defaults apply')).toBeVisible();

    const leo = await signedInPage(browser, LEO);
    try {
      await leo.page.goto('/mesh-config');
      await expect(leo.policies.main).toContainText('the mesh settings are changed by organization admins');
      await expect(leo.policies.main.getByRole('link', { name: 'Write one' })).toHaveCount(0);
    } finally {
      await leo.close();
    }
  });

  test('the screens name every control for a screen reader and work from the keyboard', async ({ page, signIn, policiesPage }) => {
    await signIn(LEO);
    await policiesPage.goto(`namespace=${NS}`);
    await expect(policiesPage.main).toMatchAriaSnapshot(`
      - main:
        - heading "Policies" [level=1]
        - link "New policy"
        - region "Filters":
          - form "Policy filters":
            - combobox "Namespace"
            - combobox "Kind"
            - textbox "Service"
            - textbox "Labels"
            - button "Clear"
            - button "Apply filters"
        - region "Policies":
          - button /Download these \\d+ as YAML/
          - table "Policies"
    `);
    await policiesPage.open(NS, 'trafficpolicies', 'payments', 'edit');
    await expect(policiesPage.validation).toHaveText(/No problems found/);
    await expect(policiesPage.main).toMatchAriaSnapshot(`
      - main:
        - region "Edit":
          - group "Form"
          - textbox "Policy YAML"
          - status: /No problems found/
          - button "Review changes"
    `);
    // Into the editor and out again: Escape, then Tab moves on (Tab alone indents).
    await policiesPage.yaml.focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    await expect(policiesPage.review).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(policiesPage.message).toBeVisible();
    await expect(policiesPage.main).toMatchAriaSnapshot(`
      - main:
        - region /^Review:/
        - region "The resource, before and after"
        - region "Proxies it reaches"
        - region "Apply":
          - form "Apply the change":
            - textbox "Change message"
            - button "Apply" [disabled]
            - button "Back to the editor"
    `);

    await policiesPage.open(NS, 'trafficpolicies', 'payments');
    await expect(policiesPage.main).toMatchAriaSnapshot(`
      - main:
        - heading "payments" [level=1]
        - button "Download YAML"
        - button "Delete"
        - link "Edit"
        - region "Delivery":
          - status "Delivery of the current revision"
          - table "Proxies with this policy"
        - region "Current spec"
        - region "History":
          - list "Revisions, newest first"
    `);

    // The split sliders move with the arrow keys, 1 % at a time, the other version following.
    await policiesPage.open(NS, 'httproutes', 'reco-split', 'edit');
    const v2 = policiesPage.main.getByRole('slider', { name: 'v2' });
    await v2.focus();
    await page.keyboard.press('ArrowRight');
    await expect(v2).toHaveValue('1');
    await expect(policiesPage.main.getByRole('spinbutton', { name: 'v1, percent of requests' })).toHaveValue('99');
  });
});
