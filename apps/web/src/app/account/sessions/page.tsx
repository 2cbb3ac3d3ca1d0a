import type { Metadata } from 'next';
import { SessionsPage } from '../../../features/account/sessions-page';

export const metadata: Metadata = { title: 'My sessions' };

export default function Page() {
  return <SessionsPage />;
}
