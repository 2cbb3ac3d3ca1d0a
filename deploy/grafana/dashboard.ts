/** Reading deploy/grafana/weft-mesh.json for its tests. */
import { readFileSync } from 'node:fs';

export interface Panel {
  id: number;
  title: string;
  type: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: Array<{ expr: string; datasource?: { uid: string } }>;
}

export interface Dashboard {
  uid: string;
  panels: Panel[];
}

export function loadDashboard(): Dashboard {
  return JSON.parse(readFileSync(new URL('./weft-mesh.json', import.meta.url), 'utf8')) as Dashboard;
}

/** The metric names the dashboard's queries read (every `weft_…` identifier), in order of first use. */
export function dashboardMetrics(d: Dashboard): string[] {
  const names = new Set<string>();
  for (const p of d.panels) for (const t of p.targets ?? []) for (const m of t.expr.matchAll(/\b(weft_[a-z0-9_]+)\b/g)) names.add(m[1]!);
  return [...names];
}
