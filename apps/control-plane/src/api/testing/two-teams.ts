import { expect } from 'vitest';
import { signIn, type ApiClient } from './http-client.ts';

export const MEMBER_PASSWORD = 'quartz-harbor-mango-77';

/**
 * Two teams and their members, as most API tests need them: shop-team owns namespace `shop`
 * (eddie editor, vicky viewer); other-team owns `other` (otto owner, and nothing in shop).
 */
export async function seedTwoTeams(baseUrl: string, admin: ApiClient): Promise<{ editor: ApiClient; viewer: ApiClient; outsider: ApiClient }> {
  for (const username of ['eddie', 'vicky', 'otto']) expect((await admin.post('/api/v1/users', { username, password: MEMBER_PASSWORD })).status).toBe(200);
  const shopTeam = (await admin.post('/api/v1/teams', { name: 'shop-team' })).body;
  const otherTeam = (await admin.post('/api/v1/teams', { name: 'other-team', owner: 'otto' })).body;
  expect((await admin.put(`/api/v1/teams/${shopTeam.id}/members/eddie`, { role: 'editor' })).status).toBe(200);
  expect((await admin.put(`/api/v1/teams/${shopTeam.id}/members/vicky`, { role: 'viewer' })).status).toBe(200);
  expect((await admin.put('/api/v1/namespaces/shop', { teamId: shopTeam.id })).status).toBe(200);
  expect((await admin.put('/api/v1/namespaces/other', { teamId: otherTeam.id })).status).toBe(200);
  return {
    editor: await signIn(baseUrl, 'eddie', MEMBER_PASSWORD),
    viewer: await signIn(baseUrl, 'vicky', MEMBER_PASSWORD),
    outsider: await signIn(baseUrl, 'otto', MEMBER_PASSWORD),
  };
}
