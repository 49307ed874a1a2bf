// Chart.js, registered with only what the console draws, and the one palette every chart uses.
import {
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartOptions,
} from 'chart.js';

Chart.register(BarElement, CategoryScale, LinearScale, LineElement, PointElement, Tooltip, Legend);

/** Colour-blind-safe (Okabe-Ito), in the order series take them. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442'];

/** Aging buckets from current to oldest: green, blue, orange, red, purple. */
export const AGING_COLOURS = [PALETTE[2], PALETTE[5], PALETTE[1], PALETTE[3], PALETTE[4]];

/** A bar chart's options: `series` shows the legend (one series is named by the title), `counts` whole ticks. */
export function barOptions({ stacked = false, series = true, counts = false } = {}): ChartOptions<'bar'> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { display: series, position: 'bottom' } },
    scales: { x: { stacked }, y: { stacked, beginAtZero: true, ...(counts ? { ticks: { precision: 0 } } : {}) } },
  };
}

export const lineOptions: ChartOptions<'line'> = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: 'bottom' } },
  scales: { y: { beginAtZero: true } },
};
