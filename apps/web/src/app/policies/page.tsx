import { redirect } from 'next/navigation';

/** The Policies area has one page so far: authorization. */
export default function Page() {
  redirect('/policies/authorization');
}
