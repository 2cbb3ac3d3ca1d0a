'use client';

/**
 * One uPlot time-series chart (docs/decisions/011-uplot-for-time-series.md). The uPlot instance is
 * made once per shape (its lines, unit and height) and fed new answers with `setData`, so a poll
 * every few seconds neither flickers nor rebuilds the canvas; it follows its box's width with a
 * ResizeObserver and is destroyed on unmount. Markers are vertical lines drawn after the series.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { GRAPH_COLORS } from '../topology/graph-style';
import { formatValue, isolatedPoints, type AlignedData, type ChartLine } from './chart-data';

export interface TimeSeriesChartProps {
  data: AlignedData;
  lines: Array<Pick<ChartLine, 'label' | 'color'>>;
  /** Appended to the y axis' values ('%', ' ms'). */
  unit: string;
  /** x in seconds, as markerPositions gives them. */
  markers?: Array<{ x: number; label: string }>;
  height?: number;
  ariaLabel: string;
  className?: string;
}

const AXIS = { stroke: GRAPH_COLORS.muted, font: '10px system-ui, sans-serif', grid: { stroke: '#eef0f4', width: 1 }, ticks: { show: false } };
/** One line per tick ("14:05"): uPlot's default adds the date on a second line, too tall for a small chart. */
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Dots only where a value has no neighbour (a line needs two points). */
const lonelyDots: uPlot.Series.Points.Filter = (u, seriesIdx) => isolatedPoints(u.data[seriesIdx] ?? []);

/** `text`, or its start and … when it is wider than `room` (canvas pixels). */
function fitText(ctx: CanvasRenderingContext2D, text: string, room: number): string {
  if (ctx.measureText(text).width <= room) return text;
  let n = text.length;
  while (n > 1 && ctx.measureText(`${text.slice(0, n)}…`).width > room) n--;
  return `${text.slice(0, n)}…`;
}

/** Draws each marker as a dashed vertical line with its label at the top. */
function markersPlugin(markers: { current: TimeSeriesChartProps['markers'] }): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        ctx.save();
        ctx.strokeStyle = GRAPH_COLORS.text;
        ctx.fillStyle = GRAPH_COLORS.text;
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = uPlot.pxRatio;
        ctx.font = `${10 * uPlot.pxRatio}px system-ui, sans-serif`;
        // uPlot leaves its last axis' alignment on the context: positions below are left edges.
        ctx.textAlign = 'left';
        ctx.textBaseline = 'alphabetic';
        for (const m of markers.current ?? []) {
          const x = Math.round(u.valToPos(m.x, 'x', true));
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          // Right of the line, or left of it where there is more room; shortened with … to fit.
          const gap = 3 * uPlot.pxRatio;
          const right = u.bbox.left + u.bbox.width - x - gap;
          const left = x - gap - u.bbox.left;
          const label = fitText(ctx, m.label, Math.max(right, left));
          const width = ctx.measureText(label).width;
          ctx.fillText(label, width <= right ? x + gap : x - gap - width, top + 10 * uPlot.pxRatio);
        }
        ctx.restore();
      },
    },
  };
}

export function TimeSeriesChart({ data, lines, unit, markers, height = 112, ariaLabel, className }: TimeSeriesChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ data, lines });
  latest.current = { data, lines };
  const marks = useRef(markers);
  marks.current = markers;
  const shape = `${lines.map((l) => `${l.label}:${l.color}`).join('|')} ${unit} ${height}`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const options: uPlot.Options = {
      width: Math.max(el.clientWidth, 120),
      height,
      legend: { show: false },
      cursor: { y: false, points: { size: 5 } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { ...AXIS, size: 22, space: 48, values: (_u, values) => values.map((v) => TIME.format(v * 1000)) },
        // Small ticks spacing: a ~90 px tall plot still gets 3–5 labelled lines.
        { ...AXIS, size: 44, space: 18, values: (_u, values) => values.map((v) => `${formatValue(v)}${unit === '%' ? '%' : ''}`) },
      ],
      // spanGaps false: a bucket without latency is a gap in the line, never an interpolation.
      series: [{}, ...latest.current.lines.map((l) => ({ label: l.label, stroke: l.color, width: 1.5, spanGaps: false, points: { show: true, size: 5, fill: l.color, filter: lonelyDots } }))],
      plugins: [markersPlugin(marks)],
    };
    const instance = new uPlot(options, latest.current.data as uPlot.AlignedData, el);
    plot.current = instance;
    const resize = new ResizeObserver(() => instance.setSize({ width: Math.max(el.clientWidth, 120), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.destroy();
      plot.current = null;
    };
    // Rebuilt only when the chart's shape changes; data and markers follow in the effects below.
  }, [shape, unit, height]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  useEffect(() => {
    plot.current?.redraw(false);
  }, [markers]);

  return <div ref={box} className={className} role="img" aria-label={ariaLabel} data-testid="time-series-chart" />;
}
