import type { Metadata } from 'next';
import { TeamPage } from '../../../features/teams/team-page';

export const metadata: Metadata = { title: 'Team' };

export default async function Page({ params }: PageProps<'/teams/[teamId]'>) {
  const { teamId } = await params;
  return <TeamPage teamId={teamId} />;
}
