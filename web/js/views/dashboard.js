/* The governor's dashboard (supervisors, heads, auditors), computed on the server: one request,
 * GET /api/v1/dashboard?from=&to= (aggregate tables only, never the appeals), gives the
 * headline figures against the previous period, the ranked bodies, the monthly series, the
 * open appeals by days to due, the receptions and the alerts. Chart.js (npm, served from
 * web/node_modules) draws the charts; alerts are sentences linking to the body; a body of
 * the ranking opens its appeals. The period is in the URL (/dashboard?from=&to=). */
import { h, add, field } from '../dom.js';
import { t, fmtDate, parseDate, currentLang } from '../i18n.js';
import { get, ApiError } from '../api.js';
import { loadRefs, bodyName, todayKz } from '../ref.js';
import { num, alertSentence, errText } from '../words.js';

const CHART_SRC = '/node_modules/chart.js/dist/chart.umd.min.js';
let chartLib = null;

function loadChart() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!chartLib) {
    chartLib = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = CHART_SRC;
      s.onload = () => resolve(window.Chart);
      s.onerror = () => { chartLib = null; reject(new Error('chart')); };
      document.head.appendChild(s);
    });
  }
  return chartLib;
}

const charts = [];

/* The period of the page's URL (default: this year to today). */
function periodOf(search, today) {
  const q = new URLSearchParams(search);
  const year = Number(today.slice(0, 4));
  const from = /^\d{4}-\d{2}-\d{2}$/.test(q.get('from') || '') ? q.get('from') : `${year}-01-01`;
  const to = /^\d{4}-\d{2}-\d{2}$/.test(q.get('to') || '') ? q.get('to') : today;
  return { from, to };
}

/* Started by app.js before the translations and the session are in, when the page opened is
 * the dashboard: the aggregate answer and Chart.js load while the rest of the UI does. */
let early = null;
export function prefetch() {
  const { from, to } = periodOf(location.search, todayKz());
  const url = `/api/v1/dashboard?from=${from}&to=${to}`;
  early = { url, data: get(url).catch((e) => e) };
  loadChart().catch(() => null);
}

/* A headline figure: the value now, the previous period's, the change in words. up: whether
 * a rise is good (received: neither). */
function figure(key, now, prev, { pct = false, digits = 0, good = 0, note = null } = {}) {
  const fmt = (v) => (v === null || v === undefined ? '—' : `${num(v, digits)}${pct ? ' %' : ''}`);
  let delta = null;
  let cls = 'flat';
  if (now !== null && now !== undefined && prev !== null && prev !== undefined) {
    const diff = now - prev;
    const rel = prev ? (diff / prev) * 100 : null;
    const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
    if (pct) delta = `${sign}${num(Math.abs(diff), 1)} ${t('dash.pp')}`;
    else if (digits) delta = `${sign}${num(Math.abs(diff), digits)}`;
    else if (rel !== null) delta = `${sign}${num(Math.abs(rel), 0)} %`;
    cls = !delta || !good || diff === 0 ? 'flat' : (diff > 0) === (good > 0) ? 'better' : 'worse';
  }
  return h('div', { class: `figure figure-${key}` },
    h('span', { class: 'figure-label' }, t(`dash.h.${key}`)),
    h('span', { class: 'figure-value' }, fmt(now)),
    prev === undefined ? null : h('span', { class: `figure-delta ${cls}` }, delta ? t('dash.vs_prev', { delta, prev: fmt(prev) }) : t('dash.no_prev')),
    note ? h('span', { class: 'figure-note' }, note) : null);
}

function dashUrl(from, to) {
  return `/dashboard?from=${from}&to=${to}`;
}

export async function page(main, _p, ctx) {
  await loadRefs();
  const { from, to } = periodOf(location.search, todayKz());
  const lang = currentLang();

  /* the period */
  const fFrom = field(t('dash.from'), h('input', { name: 'from', value: fmtDate(from), placeholder: t('date.placeholder') }));
  const fTo = field(t('dash.to'), h('input', { name: 'to', value: fmtDate(to), placeholder: t('date.placeholder') }));
  const period = h('form', { class: 'period', novalidate: true }, fFrom.wrap, fTo.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('dash.apply'))));
  period.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const a = parseDate(fFrom.input.value);
    const b = parseDate(fTo.input.value);
    fFrom.setError(a ? '' : t('err.date'));
    fTo.setError(b ? '' : t('err.date'));
    if (!a || !b) return;
    ctx.navigate(dashUrl(a, b));
  });
  const qs = `from=${from}&to=${to}&lang=${lang}`;
  const exp = (fmt) => h('a', { class: 'button', href: `/api/v1/scorecards?${qs}&format=${fmt}` }, t(`dash.export.${fmt}`));
  add(main, h('h1', {}, t('dash.title')), h('div', { class: 'dash-tools' }, period, h('div', { class: 'exports', role: 'group', 'aria-label': t('dash.export') }, exp('csv'), exp('xlsx'))));
  const status = h('p', { class: 'hint', 'aria-live': 'polite' }, t('dash.loading'));
  add(main, status);

  let d;
  let Chart;
  try {
    const url = `/api/v1/dashboard?from=${from}&to=${to}`;
    const pending = early && early.url === url ? early.data.then((x) => (x instanceof Error ? get(url) : x)) : get(url);
    early = null;
    [d, Chart] = await Promise.all([pending, loadChart().catch(() => null)]);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    status.replaceWith(h('p', { class: 'alert error', role: 'alert' }, errText(e)));
    return;
  }
  if (!ctx.isCurrent()) return;
  status.remove();
  for (const c of charts.splice(0)) c.destroy();

  /* ==== headline figures ==== */
  const hl = d.headline || {};
  const p = (k) => hl[k] || {};
  const head = h('section', { class: 'panel headline', 'aria-labelledby': 'h-headline' },
    h('h2', { id: 'h-headline' }, t('dash.headline', { from: fmtDate(d.from), to: fmtDate(d.to), pfrom: fmtDate(d.prev_from), pto: fmtDate(d.prev_to) })),
    h('div', { class: 'figures' },
      figure('received', p('received').now, p('received').prev),
      figure('on_time_pct', p('on_time_pct').now, p('on_time_pct').prev, { pct: true, good: 1 }),
      figure('overdue_now', hl.overdue_now, undefined),
      /* problems actually solved (issue 17): not the share of answers marked satisfied */
      figure('solved_pct', p('solved_pct').now, p('solved_pct').prev, { pct: true, good: 1,
        note: p('problems_decided').now ? t('dash.h.solved_of', { solved: num(p('problems_solved').now), decided: num(p('problems_decided').now) }) : null }),
      figure('verdict_no_pct', p('verdict_no_pct').now, p('verdict_no_pct').prev, { pct: true, good: -1,
        note: p('verdict_n').now ? t('dash.h.verdict_of', { n: num(p('verdict_n').now) }) : null }),
      figure('rating_mean', p('rating_mean').now, p('rating_mean').prev, { digits: 1, good: 1 }),
      figure('violations', p('violations').now, p('violations').prev, { good: -1 }),
      figure('heads_flagged', p('heads_flagged').now, p('heads_flagged').prev, { good: -1 })));

  /* ==== alerts as sentences ==== */
  const alerts = (d.alerts || []).slice().sort((a, b) => (b.month || '').localeCompare(a.month || '') || Math.abs(b.change_pct || 0) - Math.abs(a.change_pct || 0));
  const alertSec = h('section', { class: 'panel', 'aria-labelledby': 'h-alerts' }, h('h2', { id: 'h-alerts' }, t('dash.alerts')));
  if (!alerts.length) alertSec.append(h('p', {}, t('dash.no_alerts')));
  else {
    alertSec.append(h('ul', { class: 'alerts' }, alerts.slice(0, 12).map((a) => h('li', { class: `alert-${a.kind} alert-${a.metric}` },
      a.body ? h('a', { href: `/staff?under=${encodeURIComponent(a.body)}&view=all` }, alertSentence(a)) : alertSentence(a)))));
    const total = Math.max(d.alerts_total ?? 0, alerts.length);
    if (total > 12) alertSec.append(h('p', { class: 'hint' }, t('dash.more_alerts', { n: total - 12 })));
  }

  /* ==== the ranking, with drill-down to the body's appeals ==== */
  const rows = (d.bodies || []).slice().sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  const cols = ['rank', 'body', 'index', 'received', 'on_time_pct', 'overdue_open', 'solved_pct', 'rating_mean', 'violations', 'receptions_held'];
  const cell = (k, r) => {
    const v = r[k];
    if (k === 'body') return h('a', { href: `/staff?under=${encodeURIComponent(r.body)}&view=all` }, bodyName(r.body));
    if (v === null || v === undefined) return '—';
    return num(v, /pct|index|mean/.test(k) ? 1 : 0);
  };
  const tableSec = h('section', { class: 'panel', 'aria-labelledby': 'h-score' }, h('h2', { id: 'h-score' }, t('dash.scorecards')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data scorecards' },
      h('caption', {}, t('dash.scorecards.caption', { from: fmtDate(d.from), to: fmtDate(d.to) })),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col', class: `col-${k}` }, t(`col.${k}`))))),
      h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, cols.map((k, i) => (i === 1 ? h('th', { scope: 'row' }, cell(k, r)) : h('td', { class: k === 'body' ? null : 'num' }, cell(k, r)))))) : h('tr', {}, h('td', { colspan: cols.length }, t('table.empty')))))));

  /* ==== charts, from the answer's series ==== */
  const months = t('months.short').split(',');
  const toYear = Number(String(d.to).slice(0, 4));
  const perMonth = { [toYear]: Array(12).fill(null), [toYear - 1]: Array(12).fill(0) };
  for (const m of d.months || []) {
    const y = Number(m.month.slice(0, 4));
    if (perMonth[y]) perMonth[y][Number(m.month.slice(5, 7)) - 1] = m.received;
  }
  const onTime = rows.filter((r) => r.on_time_pct !== null && r.on_time_pct !== undefined).sort((a, b) => b.on_time_pct - a.on_time_pct);
  const rec = d.receptions || { months: [], series: [] };
  const dropBodies = new Set(alerts.filter((a) => a.kind === 'drop' && a.metric === 'receptions_held').map((a) => a.body));
  const recSeries = rec.series.slice().sort((a, b) => (dropBodies.has(b.body) - dropBodies.has(a.body)) || b.held.reduce((s, x) => s + x, 0) - a.held.reduce((s, x) => s + x, 0)).slice(0, 8);
  const buckets = ['overdue', 'd0_3', 'd4_7', 'd8_14', 'd15'];
  const open = buckets.map((b) => (d.open_due || {})[b] || 0);
  const chartBox = (id, titleKey, desc) => {
    const canvas = h('canvas', { id, role: 'img', 'aria-label': `${t(titleKey)}. ${desc}` });
    const sec = h('section', { class: 'panel chart', 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, t(titleKey)), h('div', { class: `chart-box ${id}` }, canvas));
    return { sec, canvas };
  };
  const sum = (a) => a.reduce((s, x) => s + (x || 0), 0);
  const c1 = chartBox('chart-months', 'dash.chart.months', t('dash.chart.months.desc', { a: num(sum(perMonth[toYear])), b: num(sum(perMonth[toYear - 1])) }));
  const c2 = chartBox('chart-ontime', 'dash.chart.ontime', onTime.map((r) => `${bodyName(r.body)} ${num(r.on_time_pct, 0)} %`).join('; '));
  const c3 = chartBox('chart-receptions', 'dash.chart.receptions', recSeries.map((s) => bodyName(s.body)).join('; '));
  const c4 = chartBox('chart-open', 'dash.chart.open', buckets.map((b, i) => `${t(`dash.bucket.${b}`)}: ${num(open[i])}`).join('; '));
  const charts4 = h('div', { class: 'charts' }, c1.sec, c2.sec, c3.sec, c4.sec);
  add(main, head, alertSec, charts4, tableSec);
  if (!Chart) return;

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  const narrow = window.innerWidth < 600;
  const common = { responsive: true, maintainAspectRatio: false, locale: lang === 'kk' ? 'kk-KZ' : lang === 'ru' ? 'ru-RU' : 'en-GB' };
  const PALETTE = ['#0b5c8a', '#e07b00', '#2f8f46', '#7a4fb5', '#b3394b', '#4a7f91', '#8a6d1c', '#555'];
  charts.push(new Chart(c1.canvas, {
    type: 'bar',
    data: { labels: months, datasets: [
      { label: String(toYear - 1), data: perMonth[toYear - 1], backgroundColor: '#9dbcd0' },
      { label: String(toYear), data: perMonth[toYear], backgroundColor: '#0b5c8a' }] },
    options: common,
  }));
  /* body names in full on their own lines, never cut: the chart is as tall as it needs */
  const wrap = (s, n) => {
    const words = s.split(' ');
    const lines = [];
    let cur = '';
    for (const w of words) {
      if (cur && (cur + ' ' + w).length > n) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
    }
    if (cur) lines.push(cur);
    return lines;
  };
  c2.canvas.parentElement.classList.add('tall');
  c2.canvas.parentElement.classList.add(`rows-${Math.min(30, Math.ceil(onTime.length / 5) * 5)}`);
  charts.push(new Chart(c2.canvas, {
    type: 'bar',
    data: { labels: onTime.map((r) => wrap(bodyName(r.body), narrow ? 18 : 34)), datasets: [{ label: t('dash.chart.ontime.series'), data: onTime.map((r) => r.on_time_pct), backgroundColor: onTime.map((r) => (r.on_time_pct >= 90 ? '#2f8f46' : r.on_time_pct >= 70 ? '#e0a100' : '#b3394b')) }] },
    options: { ...common, indexAxis: 'y', scales: { x: { min: 0, max: 100 }, y: { ticks: { autoSkip: false, font: { size: narrow ? 10 : 12 } } } }, plugins: { legend: { display: false } } },
  }));
  charts.push(new Chart(c3.canvas, {
    type: 'line',
    data: { labels: rec.months.map((m) => months[Number(m.slice(5, 7)) - 1]), datasets: recSeries.map((s, i) => ({
      label: `${dropBodies.has(s.body) ? '⚠ ' : ''}${bodyName(s.body)}`, data: s.held,
      borderColor: dropBodies.has(s.body) ? '#c8102e' : PALETTE[i % PALETTE.length], backgroundColor: dropBodies.has(s.body) ? '#c8102e' : PALETTE[i % PALETTE.length],
      borderWidth: dropBodies.has(s.body) ? 4 : 2, borderDash: dropBodies.has(s.body) ? [] : [4, 2], pointRadius: dropBodies.has(s.body) ? 4 : 2 })) },
    options: { ...common, scales: { y: { beginAtZero: true } }, plugins: { legend: { position: narrow ? 'bottom' : 'right', labels: { boxWidth: 12 } } } },
  }));
  charts.push(new Chart(c4.canvas, {
    type: 'bar',
    data: { labels: buckets.map((b) => t(`dash.bucket.${b}`)), datasets: [{ label: t('dash.chart.open.series'), data: open, backgroundColor: ['#b3394b', '#e0a100', '#4a7f91', '#4a7f91', '#2f8f46'] }] },
    options: { ...common, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
  }));
}
