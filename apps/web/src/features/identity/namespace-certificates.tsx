'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { Section } from '../ui/page';
import table from '../ui/table.module.css';
import { Timestamp } from '../ui/timestamp';
import { CertificateExpiry, useNow } from './certificate-expiry';
import { MtlsBadge } from './mesh-identity';
import { meshSettings, mtlsShare, serviceMtlsRows } from './mtls';
import styles from './identity.module.css';

/** Certificates renew at half-life, proxies come and go: asked again this often. */
const REFRESH_MS = 10_000;

/** The share of a service's recorded inbound requests that were mTLS, over a bar; a dash without traffic. */
function MtlsShareCell({ traffic }: { traffic: { requests: number; mtls: number } | undefined }) {
  const share = mtlsShare(traffic);
  if (share === null) return <span className={table.muted} title="No inbound request recorded in the last hour">—</span>;
  const percent = Math.round(share.fraction * 100);
  return (
    <div className={styles.expiry}>
      <span className={[styles.expiryText, share.fraction < 1 && styles.low].filter(Boolean).join(' ')}>{share.text}</span>
      <span className={styles.lifeTrack} role="meter" aria-label="mTLS share" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${share.text} requests over mTLS`}>
        <span className={styles.lifeFill} style={{ width: `${(share.fraction * 100).toFixed(1)}%` }} />
      </span>
    </div>
  );
}

/**
 * A namespace's services with the mTLS mode each runs in, and the newest certificate of each proxy
 * (certificates.list, joined with proxies.list by proxy id for its version and status).
 */
export function NamespaceCertificates({ namespace }: { namespace: string }) {
  const trpc = useTRPC();
  const now = useNow();
  const certificates = useQuery(trpc.certificates.list.queryOptions({ namespace }, { refetchInterval: REFRESH_MS }));
  const proxies = useQuery(trpc.proxies.list.queryOptions({ namespace, limit: 1000 }, { refetchInterval: REFRESH_MS }));
  const services = useQuery(trpc.resources.list.queryOptions({ namespace, plural: 'services', limit: 500 }));
  const meshConfigs = useQuery(trpc.resources.clusterList.queryOptions({ plural: 'meshconfigs' }));
  // Not in `queries`: the table is useful without it (no recorded traffic yet, or a slow answer).
  const share = useQuery(trpc.authorization.mtlsShare.queryOptions({ namespace, window: '1h' }, { refetchInterval: REFRESH_MS }));

  const queries = [certificates, proxies, services, meshConfigs];
  const servicesTitle = `Services in ${namespace}`;
  const servicesDescription = 'The mTLS mode each service accepts on its inbound ports (its own Service resource’s, or the mesh’s), and the share of its inbound requests in the last hour that came with a verified client certificate.';
  const certsTitle = `Certificates in ${namespace}`;
  const certsDescription = 'The newest certificate of each proxy. Proxies renew at half-life: amber means under a quarter of its lifetime is left.';
  if (queries.some((q) => q.isPending))
    return (
      <Section id="services" title={servicesTitle} description={servicesDescription} flush>
        <LoadingState label="Loading services and certificates…" />
      </Section>
    );
  const failed = queries.find((q) => q.error)?.error;
  if (failed || !certificates.data || !proxies.data || !services.data || !meshConfigs.data)
    return (
      <Section id="services" title={servicesTitle} description={servicesDescription} flush>
        <ProblemState error={failed} what="the services and certificates" onRetry={() => void Promise.all(queries.map((q) => q.refetch()))} />
      </Section>
    );

  const mesh = meshSettings(meshConfigs.data.items[0]);
  const rows = serviceMtlsRows(mesh.mode, services.data.items, proxies.data.items, certificates.data);
  const proxyById = new Map(proxies.data.items.map((p) => [p.id, p]));
  const certs = [...certificates.data].sort((a, b) => a.service.localeCompare(b.service) || a.proxyId.localeCompare(b.proxyId));

  return (
    <>
      <Section id="services" title={servicesTitle} description={servicesDescription} flush>
        {rows.length === 0 ? (
          <EmptyState title={`No services in ${namespace} yet`}>Apply a Service resource or start a proxy for it: it is listed here with its mTLS mode.</EmptyState>
        ) : (
          <div className={table.scroll}>
            <table className={table.table} aria-label="Services and their mTLS mode">
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">mTLS mode</th>
                  <th scope="col">Set by</th>
                  <th scope="col">mTLS share (1 h)</th>
                  <th scope="col" className={table.numeric}>
                    Proxies
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.service}>
                    <td className={`${table.primaryText} ${table.nowrap}`}>{row.service}</td>
                    <td>
                      <MtlsBadge mode={row.mode} />
                    </td>
                    <td>{row.source === 'service' ? 'Service resource' : <span className={table.muted}>Mesh default{row.declared ? '' : ' (no Service resource)'}</span>}</td>
                    <td>
                      <MtlsShareCell traffic={share.data?.services.find((s) => s.service === row.service)} />
                    </td>
                    <td className={table.numeric}>{row.proxies}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section id="certificates" title={certsTitle} description={certsDescription} flush>
        {certs.length === 0 ? (
          <EmptyState title="No certificates yet">Proxies get one when they start with a join token or an API token.</EmptyState>
        ) : (
          <div className={table.scroll}>
            <table className={table.table} aria-label="Certificates per proxy">
              <thead>
                <tr>
                  <th scope="col">Proxy</th>
                  <th scope="col">Service</th>
                  <th scope="col">SPIFFE ID</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Expires</th>
                </tr>
              </thead>
              <tbody>
                {certs.map((cert) => {
                  const proxy = proxyById.get(cert.proxyId);
                  return (
                    <tr key={cert.proxyId}>
                      <td className={table.nowrap}>
                        <span className={table.primaryText}>{cert.proxyId}</span>
                        <span className={table.secondaryText}>{proxy ? `${proxy.version} · ${proxy.status}` : 'not registered'}</span>
                      </td>
                      <td className={table.nowrap}>{cert.service}</td>
                      <td>
                        <code className={styles.spiffe} title={`Serial ${cert.serialNumber}`}>
                          {cert.spiffeId}
                        </code>
                      </td>
                      <td>
                        <Timestamp iso={cert.issuedAt} />
                      </td>
                      <td>
                        <CertificateExpiry cert={cert} now={now} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}
