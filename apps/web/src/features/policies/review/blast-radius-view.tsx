'use client';

import type { BlastRadius } from '@weft/contracts/resources';
import { useState } from 'react';
import { SelectField } from '../../ui/field';
import { EmptyState } from '../../ui/feedback';
import table from '../../ui/table.module.css';
import { Button } from '../../ui/button';
import { SplitDiffView } from './split-diff-view';
import { UnifiedDiff } from './unified-diff';
import styles from './review.module.css';

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** "Reaches 3 of 12 proxies" and the groups of proxies, with one group's compiled-config diff. */
export function BlastRadiusView({ radius }: { radius: BlastRadius }) {
  const [picked, setPicked] = useState(0);
  const [unified, setUnified] = useState(false);
  if (radius.affectedProxies === 0)
    return (
      <EmptyState title="No proxy's config changes">
        Of {plural(radius.totalProxies, 'proxy')} in the mesh, none would get a different config: the change is recorded, and traffic is served as before (a policy for a
        service without endpoints, or a change that compiles to the same config).
      </EmptyState>
    );
  const group = radius.groups[Math.min(picked, radius.groups.length - 1)];
  const proxy = group ? (group.proxyIds[0] ?? `${group.service} ${group.version}`) : '';
  return (
    <div>
      <p role="status">
        Changes the config of <strong>{plural(radius.affectedProxies, 'proxy')}</strong> of {radius.totalProxies.toLocaleString('en-US')} in the mesh.
        {radius.truncated ? ' More groups are affected than are listed.' : ''}
      </p>
      <div className={table.scroll}>
        <table className={table.table} aria-label="Proxies whose config would change">
          <thead>
            <tr>
              <th scope="col">Workload</th>
              <th scope="col" className={table.numeric}>
                Proxies
              </th>
              <th scope="col">Proxy ids</th>
            </tr>
          </thead>
          <tbody>
            {radius.groups.map((g) => (
              <tr key={`${g.namespace}/${g.service}/${g.version}`}>
                <td className={table.nowrap}>
                  {g.namespace}/{g.service} {g.version}
                </td>
                <td className={table.numeric}>{g.proxies}</td>
                <td className={table.mono}>
                  {g.proxyIds.slice(0, 5).join(', ')}
                  {g.proxyIds.length > 5 ? ` and ${g.proxies - 5} more` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {group && (
        <>
          <h4>Compiled config of one proxy, before and after</h4>
          {radius.groups.length > 1 && (
            <div className={styles.groupPicker}>
              <SelectField label="Workload" value={String(picked)} onChange={(e) => setPicked(Number(e.target.value))}>
                {radius.groups.map((g, i) => (
                  <option key={i} value={i}>
                    {g.namespace}/{g.service} {g.version} ({plural(g.proxies, 'proxy')})
                  </option>
                ))}
              </SelectField>
            </div>
          )}
          {unified ? (
            <UnifiedDiff diff={group.diff} label={`Compiled config diff of ${proxy}`} />
          ) : (
            <SplitDiffView diff={group.diff} label={`Compiled config diff of ${proxy}`} beforeLabel={`${proxy} now`} afterLabel="With the change" />
          )}
          <p className={styles.diffToggle}>
            <Button size="small" variant="ghost" onClick={() => setUnified(!unified)}>
              {unified ? 'Show side by side' : 'Show as a unified diff'}
            </Button>
          </p>
        </>
      )}
    </div>
  );
}
