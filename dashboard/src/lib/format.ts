/** Display formats (pure). */

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 4, maximumFractionDigits: 4 });
const count = new Intl.NumberFormat('en-US');

export function formatCost(value: number): string {
  if (value === 0) return '$0.00';
  return value < 0.01 ? usdSmall.format(value) : usd.format(value);
}

export function formatCount(value: number): string {
  return count.format(value);
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date. */
export function formatAgo(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 30) return `${d} d ago`;
  return new Date(t).toISOString().slice(0, 10);
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A share in 0..1 as a percentage with one decimal: "97.5%". */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Milliseconds: "1,234 ms", or one decimal under 10 ms. */
export function formatMs(ms: number): string {
  return ms > 0 && ms < 10 ? `${ms.toFixed(1)} ms` : `${count.format(Math.round(ms))} ms`;
}

/** A quality score in 0..1 with two decimals. */
export function formatScore(score: number): string {
  return score.toFixed(2);
}

const utcDayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const utcShortDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** A UTC day: "Thu 3 Dec". */
export function formatUtcDay(ms: number): string {
  return utcDayFormat.format(ms);
}

/** A UTC week by its Monday: "week of 30 Nov". */
export function formatUtcWeek(ms: number): string {
  return `week of ${utcShortDay.format(ms)}`;
}

/** A UTC day without the weekday, for axes: "3 Dec". */
export function formatUtcShortDay(ms: number): string {
  return utcShortDay.format(ms);
}
