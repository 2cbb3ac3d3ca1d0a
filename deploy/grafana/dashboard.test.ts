/**
 * The Grafana dashboard is a hand-kept JSON file: these checks catch what Grafana would only
 * report at import (duplicate panel ids, overlapping panels, a query without the data source
 * variable). That its metrics exist is checked against a real control plane in
 * tests/mesh/telemetry.int.test.ts (dashboardMetrics).
 */
import { describe, expect, it } from 'vitest';
import { dashboardMetrics, loadDashboard } from './dashboard.ts';

const dashboard = loadDashboard();
const panels = dashboard.panels;

describe('the Grafana dashboard', () => {
  it('has unique panel ids and a stable uid', () => {
    expect(dashboard.uid).toBe('weft-mesh');
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w, p.title).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const cell = `${i},${j}`;
          expect(cells.has(cell), `${p.title} overlaps at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
    }
  });

  it('queries through the data source variable, and mesh panels honour the edge filters', () => {
    for (const p of panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      for (const t of p.targets ?? []) {
        expect(t.datasource?.uid, p.title).toBe('${datasource}');
        if (t.expr.includes('weft_mesh_edge_')) expect(t.expr, p.title).toContain('direction="$direction",source=~"$source",destination=~"$destination"');
      }
    }
  });

  it('queries only Weft series', () => {
    const metrics = dashboardMetrics(dashboard);
    expect(metrics).toContain('weft_mesh_edge_requests_1m');
    expect(metrics).toContain('weft_mesh_edge_latency_ms_1m_bucket');
    expect(metrics.every((m) => m.startsWith('weft_'))).toBe(true);
  });
});
