'use client';

/**
 * Rate, errors and duration of a `telemetry.series` answer as three small charts: requests per
 * second, error %, latency p50/p95/p99 in ms. Used by the Topology side panel and the service
 * pages; `markers` (config changes, rollout steps) are drawn as vertical lines on each chart.
 */
import { useMemo } from 'react';
import { markerPositions, redChartSpecs, type ChartMarker, type ChartSpec, type SeriesAnswer } from './chart-data';
import styles from './charts.module.css';
import { TimeSeriesChart } from './time-series-chart';

export interface RedChartsProps {
  series: SeriesAnswer;
  markers?: ChartMarker[];
  /** The window in words, for the charts' labels: "the last 15 minutes". */
  windowLabel: string;
}

function Chart({ spec, markers }: { spec: ChartSpec; markers: Array<{ x: number; label: string }> }) {
  const headingId = `red-chart-${spec.id}`;
  return (
    <figure className={styles.chart} aria-labelledby={headingId} data-chart={spec.id}>
      <figcaption className={styles.caption}>
        <span id={headingId} className={styles.title}>
          {spec.title}
        </span>
        {!spec.empty && (
          <span className={styles.last} aria-hidden="true">
            {spec.lines.length > 1
              ? spec.lines.map((line, i) => (
                  <span key={line.label} className={styles.lastItem}>
                    <span className={styles.swatch} style={{ background: line.color }} />
                    {spec.lastByLine[i]}
                  </span>
                ))
              : spec.last}
          </span>
        )}
      </figcaption>
      {spec.empty ? (
        <p className={styles.empty} role="img" aria-label={spec.ariaLabel}>
          No requests in the window
        </p>
      ) : (
        <TimeSeriesChart data={spec.data} lines={spec.lines} unit={spec.unit} markers={markers} ariaLabel={spec.ariaLabel} className={styles.canvas} />
      )}
    </figure>
  );
}

export function RedCharts({ series, markers, windowLabel }: RedChartsProps) {
  const specs = useMemo(() => redChartSpecs(series, windowLabel), [series, windowLabel]);
  const xs = specs[0]!.data[0];
  const positions = useMemo(() => markerPositions(markers ?? [], xs, series.stepSeconds), [markers, xs, series.stepSeconds]);
  return (
    <div className={styles.charts} data-testid="red-charts">
      {specs.map((spec) => (
        <Chart key={spec.id} spec={spec} markers={positions} />
      ))}
    </div>
  );
}
