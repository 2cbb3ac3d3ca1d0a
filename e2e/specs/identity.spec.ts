/**
 * The Identity page: the mesh CA and a full root rotation through the UI, join tokens (secret shown
 * once, revoked), services' mTLS modes, and a proxy's certificate requested the way a proxy does
 * (a CSR made here, POST /api/v1/identity/certificates with shop-team's editor API token). The
 * tests build on each other: the viewer sees the rotated CA and the certificate.
 */
import { IssuedCertificateSchema } from '@weft/contracts/identity';
import { requestCertificate } from '../support/identity.ts';
import { AdminApi } from '../support/mesh.ts';
import { CONSOLE_URL } from '../support/servers.ts';
import { ADMIN, allowConsoleErrors, expect, failedCall, OMAR, screenshot, test } from '../support/fixtures.ts';

test.describe.configure({ mode: 'serial', retries: 0 });

const SPIFFE = 'spiffe://weft.local/ns/shop/sa/payments';

test.describe('Identity', () => {
  test.describe(() => {
    // The last step is refused on purpose (409: another admin took it first), which the browser logs.
    test.use(allowConsoleErrors(failedCall(409, 'ca.startRotation')));

    test('an admin sees the CA and rotates its root: start, activate, finish', async ({ page, playwright, shopMesh, signIn, shell, identityPage: identity }) => {
      await signIn(ADMIN);
      await page.goto('/');
      await shell.navLink('Identity').click();
      await page.waitForURL(/\/identity/);
      await expect(identity.heading).toBeVisible();
      await expect(shell.navLink('Identity')).toHaveAttribute('aria-current', 'page');
      // Other specs may have made namespaces that sort first: pick shop, and the URL says so.
      await identity.namespacePicker.selectOption(shopMesh.namespace);
      await page.waitForURL(/\?namespace=shop$/);
      await expect(identity.services).toHaveAccessibleName('Services in shop');

      await test.step('one ACTIVE generation, phase stable, STRICT in weft.local', async () => {
        await expect(identity.trustDomain).toHaveText('weft.local');
        await expect(identity.meshMode).toHaveText('STRICT');
        await expect(identity.generationRows()).toHaveCount(1);
        expect(await identity.generationStates()).toEqual(['ACTIVE']);
        await expect(identity.generationRows().first()).toContainText('Generated');
        await expect(identity.phase).toHaveText('stable');
        await expect(identity.steps.locator('[aria-current="step"]')).toContainText('Start');
        // Only the one valid next step is offered.
        await expect(identity.anyRotationButton).toHaveCount(1);
        await expect(identity.rotationButton('Start rotation')).toBeVisible();
        await screenshot(page, 'identity');
      });

      await test.step('start: a second, PENDING generation joins the trust bundle', async () => {
        await identity.rotationButton('Start rotation').click();
        await expect(identity.rotationDialog).toContainText('wait until every proxy is SYNCED');
        await screenshot(page, 'identity-rotation-confirm');
        await identity.rotationDialog.getByRole('button', { name: 'Start rotation' }).click();
        await expect(identity.rotationDialog).toBeHidden();
        await expect(identity.phase).toHaveText('started');
        await expect(identity.generationRows()).toHaveCount(2);
        expect(await identity.generationStates()).toEqual(['ACTIVE', 'PENDING']);
        await expect(identity.anyRotationButton).toHaveCount(1);
        await expect(identity.rotationButton('Activate new CA')).toBeVisible();
        await screenshot(page, 'identity-rotation-started');
      });

      await test.step('activate: the new CA issues, the old one is RETIRING', async () => {
        await identity.rotate('Activate new CA');
        await expect(identity.phase).toHaveText('activated');
        await expect.poll(() => identity.generationStates()).toEqual(['ACTIVE', 'RETIRING']);
        await expect(identity.rotationButton('Finish rotation')).toBeVisible();
      });

      await test.step('finish: the old root is RETIRED, the phase stable again', async () => {
        await identity.rotate('Finish rotation');
        await expect(identity.phase).toHaveText('stable');
        await expect.poll(() => identity.generationStates()).toEqual(['ACTIVE', 'RETIRED']);
        await expect(identity.rotationButton('Start rotation')).toBeVisible();
        await screenshot(page, 'identity-rotated');
      });

      await test.step("a step another admin took first: the control plane's 409 is shown, and where the rotation stands", async () => {
        await identity.rotationButton('Start rotation').click();
        const otherRequest = await playwright.request.newContext({ baseURL: CONSOLE_URL });
        const other = await AdminApi.signIn(otherRequest, ADMIN);
        expect((await other.rotate('start')).phase).toBe('started');
        await identity.rotationDialog.getByRole('button', { name: 'Start rotation' }).click();
        const refused = identity.rotationDialog.getByRole('alert');
        await expect(refused).toContainText("Cannot start the root rotation: it is in phase 'started' (start needs 'stable')");
        // Behind the dialog the stepper moves on to where the rotation stands; the dialog keeps its step and the refusal.
        await expect(identity.phase).toHaveText('started');
        await expect(identity.rotationDialog).toHaveAccessibleName('Start rotation?');
        await expect(refused).toBeVisible();
        await screenshot(page, 'identity-rotation-conflict');
        await identity.rotationDialog.getByRole('button', { name: 'Cancel' }).click();
        await expect(identity.phase).toHaveText('started');
        await expect(identity.rotationButton('Activate new CA')).toBeVisible();
        // Back to stable through the API, for the tests after this one.
        await other.rotate('activate');
        await other.rotate('finish');
        await otherRequest.dispose();
        await page.reload();
        await expect(identity.phase).toHaveText('stable');
        await expect.poll(() => identity.generationStates()).toEqual(['ACTIVE', 'RETIRED', 'RETIRED']);
      });
    });
  });

  test('an admin creates a join token, sees its secret once, and revokes it', async ({ page, shopMesh, signIn, identityPage: identity }) => {
    await signIn(ADMIN);
    await identity.goto(`?namespace=${shopMesh.namespace}`);
    await expect(identity.joinTokens).toContainText('No join tokens yet');

    await identity.createJoinToken({ service: shopMesh.service, expiresIn: '2h', maxUses: 3 });
    await expect(identity.secretDialog).toContainText('it will not be shown again');
    const secret = await identity.secret.inputValue();
    expect(secret).toMatch(/^weft_join_[A-Za-z0-9_-]{43}$/);
    await expect(identity.secretDialog).toContainText(`WEFT_PROXY_JOIN_TOKEN=${secret} weft-proxy --namespace shop --service payments`);
    await expect(identity.secretDialog).toContainText(`--join-token ${secret}`);
    await screenshot(page, 'identity-join-token-secret');
    await identity.closeSecret();

    const row = identity.joinToken(secret.slice(0, 16));
    await expect(row).toContainText('payments');
    await expect(row).toContainText('0 / 3');
    await expect(row).toContainText('Active');
    // The secret is gone from the page once the dialog is closed.
    await expect(page.getByText(secret)).toHaveCount(0);
    await screenshot(page, 'identity-join-tokens');

    await row.getByRole('button', { name: /^Revoke join token / }).click();
    await expect(identity.revokeDialog).toContainText('No new proxy of payments can start with it');
    await identity.revokeDialog.getByRole('button', { name: 'Revoke join token' }).click();
    await expect(identity.revokeDialog).toBeHidden();
    await expect(row).toContainText('Revoked');
    await expect(row.getByRole('button')).toHaveCount(0);
  });

  test("services show their effective mTLS mode; a proxy's certificate shows its SPIFFE ID and expiry", async ({ page, playwright, request, shopMesh, signIn, identityPage: identity }) => {
    await signIn(ADMIN);
    // Another admin session (its own cookies), so the page's session stays as it is.
    const adminRequest = await playwright.request.newContext({ baseURL: CONSOLE_URL });
    const admin = await AdminApi.signIn(adminRequest, ADMIN);
    await admin.apply('shop', 'services', {
      apiVersion: 'weft.dev/v1alpha1',
      kind: 'Service',
      metadata: { name: 'legacy' },
      spec: { ports: [{ name: 'http', port: 80 }], mtls: { mode: 'PERMISSIVE' } },
    });
    await adminRequest.dispose();

    await identity.goto(`?namespace=${shopMesh.namespace}`);
    await expect(identity.service('legacy')).toContainText('PERMISSIVE');
    await expect(identity.service('legacy')).toContainText('Service resource');
    await expect(identity.service('payments')).toContainText('STRICT');
    await expect(identity.service('payments')).toContainText('Mesh default (no Service resource)');
    await expect(identity.certificates).toContainText('No certificates yet');
    await expect(identity.certificates).toContainText('Proxies get one when they start with a join token or an API token.');

    const issued = await requestCertificate(request, shopMesh.editorToken, { namespace: 'shop', service: 'payments', proxyId: 'payments-1' });
    expect(IssuedCertificateSchema.parse(issued).spiffeId).toBe(SPIFFE);

    await page.reload();
    const row = identity.certificate('payments-1');
    await expect(row).toContainText(SPIFFE);
    await expect(row).toContainText('payments');
    await expect(row).toContainText(/in (23 h \d+ min|1 d)/);
    await expect(row.getByRole('meter', { name: 'Lifetime left' })).toHaveAttribute('aria-valuenow', /^(99|100)$/);
    await screenshot(page, 'identity-certificates');
  });

  test('a viewer sees the CA, services and certificates, but no rotation buttons and no join tokens', async ({ page, shopMesh, signIn, identityPage: identity }) => {
    await signIn(OMAR);
    await identity.goto(`?namespace=${shopMesh.namespace}`);
    await expect(identity.phase).toHaveText('stable');
    await expect(identity.generationRows()).toHaveCount(3);
    await expect(identity.anyRotationButton).toHaveCount(0);
    await expect(identity.rotation).toContainText('Root rotation is for organization admins');
    await expect(identity.certificate('payments-1')).toContainText(SPIFFE);
    await expect(identity.joinTokens).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Create join token' })).toHaveCount(0);
    await screenshot(page, 'identity-viewer');
  });
});
