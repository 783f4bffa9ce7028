/**
 * A time chart (uPlot) of one measure with its table view: one line per series over the buckets, and
 * every change marker drawn as a vertical line with its text ("production → v5", "model a → b") both on
 * the canvas and as DOM elements (data-marker-kind) over it. Colours come from the page's CSS variables,
 * so the chart follows the light or dark scheme (and is rebuilt when it changes). The table is a real
 * <table> with a caption and headers, holding each value (data-value) and the changes of each bucket.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { layoutLabels } from '../lib/marker-layout';
import { markersIn, type Marker, type Series } from '../lib/metrics-series';

export const SERIES_COLOURS = 8;
const Y_AXIS = 64;
/** Height of one row of marker texts (px), and at most this many rows above the plot. */
const LABEL_ROW = 20;
const MAX_ROWS = 4;

export type TimeChartProps = {
  title: string;
  /** What the table's caption adds to the title, e.g. "per day, by version". */
  caption: string;
  buckets: number[];
  bucketMs: number;
  series: Series[];
  /** Columns of the table when they differ from the chart's lines (e.g. every latency percentile). */
  tableSeries?: Series[];
  markers: Marker[];
  /** The table's last column, the changes of each bucket (default true). */
  changesColumn?: boolean;
  format(value: number): string;
  bucketLabel(start: number): string;
  /** The x axis' tick text (default bucketLabel). */
  axisLabel?(start: number): string;
  /** The first column's header ("Day", "Week"). */
  bucketHeader: string;
  controls?: ReactNode;
  testId: string;
  /** A fixed y range (e.g. [0, 1] for shares); by default 0 to a little above the largest value. */
  yRange?: [number, number];
  /** The CSS class of a series' colour; by default its position. */
  colourOf?(series: Series, index: number): string;
};

const defaultColour = (_: Series, i: number) => `s-${i % SERIES_COLOURS}`;

export function TimeChart(props: TimeChartProps) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const colourOf = props.colourOf ?? defaultColour;
  const captionId = useId();
  return (
    <section className="card chart-card" data-testid={props.testId} aria-labelledby={`${captionId}-title`}>
      <div className="chart-head">
        <h2 id={`${captionId}-title`}>{props.title}</h2>
        <div className="chart-controls">
          {props.controls}
          <div role="group" aria-label={`${props.title}: view`} className="segmented">
            <button className={`btn small ${view === 'chart' ? 'primary' : ''}`} aria-pressed={view === 'chart'} onClick={() => setView('chart')}>
              Chart
            </button>
            <button className={`btn small ${view === 'table' ? 'primary' : ''}`} aria-pressed={view === 'table'} onClick={() => setView('table')}>
              Table
            </button>
          </div>
        </div>
      </div>
      {view === 'chart' ? (
        <>
          <ul className="chart-legend" role="list" aria-label={`${props.title}: series`}>
            {props.series.map((s, i) => (
              <li key={s.key}>
                <span className={`swatch ${colourOf(s, i)}`} aria-hidden="true" />
                {s.label}
              </li>
            ))}
          </ul>
          <Plot {...props} colourOf={colourOf} />
        </>
      ) : (
        <MetricTable {...props} captionId={captionId} />
      )}
    </section>
  );
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/** Rebuilds on a change of the colour scheme (the CSS variables change with it). */
function useColourScheme(): string {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const [scheme, setScheme] = useState(query?.matches ? 'dark' : 'light');
  useEffect(() => {
    if (!query) return;
    const listen = () => setScheme(query.matches ? 'dark' : 'light');
    query.addEventListener('change', listen);
    return () => query.removeEventListener('change', listen);
  }, [query]);
  return scheme;
}

function Plot(props: TimeChartProps & { colourOf(series: Series, index: number): string }) {
  const host = useRef<HTMLDivElement>(null);
  const scheme = useColourScheme();
  const { buckets, bucketMs, series, markers, format, colourOf } = props;
  const axisLabel = props.axisLabel ?? props.bucketLabel;
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const colour = (cls: string) => {
      // The palette lives in styles.css (.s-N { --series }), readable from a probe element.
      const probe = document.createElement('span');
      probe.className = cls;
      el.appendChild(probe);
      const value = cssVar(probe, '--series', '#888');
      probe.remove();
      return value;
    };
    const axisColour = cssVar(el, '--muted', '#666');
    const gridColour = cssVar(el, '--border', '#ddd');
    const markerColour = { label: cssVar(el, '--marker-label', '#888'), model: cssVar(el, '--marker-model', '#c60') };
    const panelColour = cssVar(el, '--panel', '#fff');
    const width = Math.max(280, el.clientWidth);
    const height = width < 500 ? 200 : 240;
    const mid = (b: number) => b + bucketMs / 2;
    const xMin = buckets[0]!;
    const xMax = buckets[buckets.length - 1]! + bucketMs;

    // The marker texts, measured off-screen first: their rows decide the band reserved above the plot.
    const nodes = markers.map((m) => {
      const node = document.createElement('div');
      node.className = `chart-marker ${m.kind}`;
      node.dataset.markerKind = m.kind;
      node.dataset.at = new Date(m.at).toISOString();
      const text = document.createElement('span');
      text.textContent = m.text;
      node.appendChild(text);
      return node;
    });
    const measuring = document.createElement('div');
    measuring.className = 'chart-measure';
    measuring.append(...nodes);
    el.appendChild(measuring);
    const widths = nodes.map((n) => n.firstElementChild!.getBoundingClientRect().width);
    measuring.remove();
    const plotWidth = width - Y_AXIS - 12; // what uPlot leaves for the plot, near enough for the estimate
    const estimate = layoutLabels(
      markers.map((m, i) => ({ x: ((m.at - xMin) / (xMax - xMin)) * plotWidth, width: widths[i]! })),
      plotWidth,
    );
    const rows = Math.min(MAX_ROWS, Math.max(0, ...estimate.map((p) => p.row + 1)));
    const band = rows ? rows * LABEL_ROW + 4 : 8;

    const opts: uPlot.Options = {
      width,
      height: height + band,
      padding: [band, 12, 0, 0],
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: () => [xMin / 1000, xMax / 1000] },
        // Rates are shares in 0..1; everything else starts at 0, so a drop looks like one.
        y: { range: (_u, _min, max) => (props.yRange ? props.yRange : [0, max > 0 ? max * 1.1 : 1]) },
      },
      axes: [
        {
          stroke: axisColour,
          grid: { stroke: gridColour, width: 1 },
          ticks: { stroke: gridColour, width: 1 },
          // A tick per bucket, thinned to one per ~80 px so labels never collide.
          splits: (u) => {
            const every = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor(u.bbox.width / devicePixelRatio / 80))));
            return buckets.filter((_, i) => (buckets.length - 1 - i) % every === 0).map((b) => mid(b) / 1000);
          },
          values: (_u, splits) => splits.map((s) => axisLabel(s * 1000 - bucketMs / 2)),
        },
        {
          stroke: axisColour,
          grid: { stroke: gridColour, width: 1 },
          ticks: { stroke: gridColour, width: 1 },
          size: Y_AXIS,
          values: (_u, splits) => splits.map((v) => format(v)),
        },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: colour(colourOf(s, i)),
          width: 2,
          points: { show: true, size: 6, fill: panelColour },
          spanGaps: false,
        })),
      ],
      hooks: {
        draw: [
          (u) => {
            // Exact positions now; the DOM texts follow the canvas (and any resize).
            const xs = markers.map((m) => u.valToPos(m.at / 1000, 'x'));
            const placed = layoutLabels(
              xs.map((x, i) => ({ x, width: widths[i]! })),
              u.over.clientWidth,
            );
            const { ctx } = u;
            const dpr = devicePixelRatio;
            ctx.save();
            ctx.lineWidth = 1.5 * dpr;
            markers.forEach((m, i) => {
              const row = Math.min(placed[i]!.row, Math.max(0, rows - 1));
              const top = -band + 2 + row * LABEL_ROW;
              const node = nodes[i]!;
              node.style.left = `${xs[i]}px`;
              node.dataset.row = String(row);
              const text = node.firstElementChild as HTMLElement;
              text.style.left = `${placed[i]!.start - xs[i]!}px`;
              text.style.top = `${top}px`;
              const x = Math.round(u.valToPos(m.at / 1000, 'x', true));
              ctx.strokeStyle = markerColour[m.kind];
              ctx.setLineDash(m.kind === 'model' ? [6 * dpr, 4 * dpr] : []);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top + (top + LABEL_ROW / 2) * dpr);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
            });
            ctx.restore();
          },
        ],
      },
    };
    // Each value sits in the middle of its bucket (seconds), so a change marked at noon falls beside that day's point.
    const data: uPlot.AlignedData = [buckets.map((b) => mid(b) / 1000), ...series.map((s) => s.values)];
    const plot = new uPlot(opts, data, el);
    plot.over.append(...nodes);
    plot.redraw(false, false);
    const resize = new ResizeObserver(() => {
      const w = Math.max(280, el.clientWidth);
      if (w !== plot.width) plot.setSize({ width: w, height: (w < 500 ? 200 : 240) + band });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [buckets, bucketMs, series, markers, format, axisLabel, colourOf, scheme, props.yRange]);
  const changes = markers.length ? `; ${markers.length} change${markers.length === 1 ? '' : 's'} marked: ${markers.map((m) => m.text).join(', ')}` : '';
  return (
    <div
      className="chart-plot"
      ref={host}
      role="img"
      aria-label={`${props.title}, ${series.map((s) => s.label).join(', ') || 'no series'} over ${buckets.length} ${props.bucketHeader.toLowerCase()}s${changes}. The table view lists every value.`}
    />
  );
}

function MetricTable(props: TimeChartProps & { captionId: string }) {
  const columns = props.tableSeries ?? props.series;
  return (
    <div className="metric-table" role="region" aria-labelledby={`${props.captionId}-caption`} tabIndex={0}>
      <table className="metric">
        <caption id={`${props.captionId}-caption`}>
          {props.title} {props.caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">{props.bucketHeader}</th>
            {columns.map((s) => (
              <th scope="col" key={s.key} className="num">
                {s.label}
              </th>
            ))}
            {props.changesColumn !== false && <th scope="col">Changes</th>}
          </tr>
        </thead>
        <tbody>
          {props.buckets.map((start, i) => {
            const changes = markersIn(props.markers, start, props.bucketMs);
            return (
              <tr key={start} data-bucket={new Date(start).toISOString()}>
                <th scope="row">
                  <time dateTime={new Date(start).toISOString()}>{props.bucketLabel(start)}</time>
                </th>
                {columns.map((s) => {
                  const v = s.values[i];
                  return (
                    <td key={s.key} data-series={s.label} data-value={v ?? ''} className="num">
                      {v == null ? <span className="muted">—</span> : props.format(v)}
                    </td>
                  );
                })}
                {props.changesColumn !== false && <td className="changes-cell">{changes.map((m) => m.text).join('; ')}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
