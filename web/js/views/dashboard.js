/* The governor's dashboard (supervisors, heads, auditors): scorecards with ranking, four charts
 * drawn by Chart.js (npm, served from web/node_modules), the alerts list, CSV/XLSX export.
 * Report endpoints are read defensively: a figure the server does not give yet is derived from
 * the appeals list where possible, or the chart says that there is no data. */
import { h, add, field } from '../dom.js';
import { t, fmtDate, parseDate, currentLang } from '../i18n.js';
import { get, tryGet, user } from '../api.js';
import { loadRefs, bodyName, todayKz, workingDaysTo, loadCalendar, calendarYears } from '../ref.js';
import { rowsOf, dataTable, cell } from './generic.js';

const CHART_SRC = '/node_modules/chart.js/dist/chart.umd.min.js';
let chartLib = null;

function loadChart() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!chartLib) {
    chartLib = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = CHART_SRC;
      s.onload = () => resolve(window.Chart);
      s.onerror = () => { chartLib = null; reject(new Error('Chart.js did not load')); };
      document.head.appendChild(s);
    });
  }
  return chartLib;
}

const charts = [];
const short = (s) => (s.length > 34 ? `${s.slice(0, 33)}…` : s);
const state = { from: null, to: null };

const num = (v) => (v === null || v === undefined || v === '' ? null : Number(v));
const pick = (row, patterns) => {
  for (const p of patterns) for (const k of Object.keys(row)) if (p.test(k) && row[k] !== null && row[k] !== '' && !Number.isNaN(Number(row[k]))) return Number(row[k]);
  return null;
};

async function allAppeals(max = 10) {
  const out = [];
  let after = null;
  for (let i = 0; i < max; i++) {
    const page = await get(`/api/v1/appeals?limit=500${after ? `&after=${after}` : ''}`);
    out.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  return out;
}

/* The sibling group that the ranking is about: the parent with the most children in the rows. */
function mainGroup(rows) {
  const by = new Map();
  for (const r of rows) {
    const p = r.parent ?? '';
    if (!by.has(p)) by.set(p, []);
    by.get(p).push(r);
  }
  let best = [];
  for (const g of by.values()) if (g.length > best.length) best = g;
  return best;
}

function topBody(id) {
  /* "ridder.housing" -> "ridder"; department ids "vko.education" stay as they are */
  return id && !id.startsWith('vko') ? id.split('.')[0] : id;
}

export async function page(main, _p, ctx) {
  await loadRefs();
  await loadCalendar(calendarYears());
  const me = user();
  const today = todayKz();
  const year = Number(today.slice(0, 4));
  const from = state.from || `${year}-01-01`;
  const to = state.to || today;
  const months = t('months.short').split(',');

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
    Object.assign(state, { from: a, to: b });
    ctx.navigate('/dashboard', true);
  });
  const q = `from=${from}&to=${to}`;
  const exp = (fmt) => h('a', { class: 'button', href: `/api/v1/scorecards?${q}&format=${fmt}`, download: `scorecards-${from}-${to}.${fmt}` }, t(`dash.export.${fmt}`));
  add(main, h('h1', {}, t('dash.title')), h('div', { class: 'dash-tools' }, period, h('div', { class: 'exports', role: 'group', 'aria-label': t('dash.export') }, exp('csv'), exp('xlsx'))));
  const status = h('p', { class: 'hint', 'aria-live': 'polite' }, t('dash.loading'));
  add(main, status);

  const monthQ = (m) => {
    const last = new Date(Date.UTC(year, m + 1, 0)).toISOString().slice(0, 10);
    return `from=${year}-${String(m + 1).padStart(2, '0')}-01&to=${last < today ? last : today}`;
  };
  const curMonth = Number(today.slice(5, 7)) - 1;
  const [score, alerts, stats, appeals, monthly, Chart] = await Promise.all([
    tryGet(`/api/v1/scorecards?${q}`),
    tryGet('/api/v1/alerts'),
    tryGet(`/api/v1/public/stats?from=${year - 1}-01&to=${year}-12`),
    allAppeals().catch(() => []),
    Promise.all(Array.from({ length: curMonth + 1 }, (_, m) => tryGet(`/api/v1/scorecards?${monthQ(m)}`).catch(() => null))),
    loadChart(),
  ]);
  if (!ctx.isCurrent()) return;
  status.remove();
  for (const c of charts.splice(0)) c.destroy();
  const lang = currentLang();
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;

  const notes = [];
  const scoreRows = rowsOf(score);
  const alertRows = rowsOf(alerts);
  if (!score) notes.push(t('dash.no_scorecards'));

  /* ==== scorecards table ==== */
  const group = mainGroup(scoreRows).slice().sort((a, b) => (num(a.rank) ?? 1e9) - (num(b.rank) ?? 1e9) || (num(b.index) ?? 0) - (num(a.index) ?? 0));
  const tableSec = h('section', { class: 'panel', 'aria-labelledby': 'h-score' }, h('h2', { id: 'h-score' }, t('dash.scorecards')));
  if (score) {
    const pref = ['rank', 'body', 'name', 'index', 'received', 'answered', 'on_time_pct', 'resolved_pct', 'repeat_pct', 'rating_mean', 'overdue_open', 'violations', 'rec_held'];
    const keys = Object.keys(group[0] || {});
    const cols = [...pref.filter((k) => keys.includes(k) && !(k === 'name' && keys.includes('body'))), ...keys.filter((k) => !pref.includes(k) && !['parent', 'path', 'name'].includes(k))].slice(0, 12);
    tableSec.append(dataTable(group, { cols, caption: t('dash.scorecards.caption', { from: fmtDate(from), to: fmtDate(to) }) }));
  } else tableSec.append(h('p', { class: 'hint' }, t('dash.no_scorecards')));

  /* ==== chart data ==== */
  // 1. appeals per month, this year vs last
  const perMonth = { [year]: Array(12).fill(0), [year - 1]: Array(12).fill(0) };
  const statRows = rowsOf(stats);
  const statCount = (r) => pick(r, [/^registered$/, /^received$/, /^appeals$/, /count/]);
  if (statRows.length && statRows.some((r) => r.month && statCount(r) !== null)) {
    for (const r of statRows) {
      const [y, m] = String(r.month).split('-').map(Number);
      if (perMonth[y]) perMonth[y][m - 1] += statCount(r) || 0;
    }
  } else {
    for (const a of appeals) {
      const y = Number((a.received_at || '').slice(0, 4));
      const m = Number((a.received_at || '').slice(5, 7));
      if (perMonth[y]) perMonth[y][m - 1] += 1;
    }
  }
  // 2. on-time rate by body
  let onTime = group.map((r) => [r.body || r.id, pick(r, [/^on_time_pct$/, /on_time.*(pct|rate)/])]).filter(([, v]) => v !== null);
  if (!onTime.length) {
    const acc = new Map();
    for (const a of appeals) {
      const b = topBody(a.body);
      const x = acc.get(b) || { on: 0, all: 0 };
      if (a.answer) { x.all += 1; if (a.answer.on && a.answer.on <= a.due_on) x.on += 1; }
      else if (['registered', 'assigned', 'in_work'].includes(a.status) && a.due_on < today) x.all += 1;
      acc.set(b, x);
    }
    onTime = [...acc].filter(([, x]) => x.all).map(([b, x]) => [b, (100 * x.on) / x.all]);
  }
  onTime.sort((a, b) => b[1] - a[1]);
  // 3. receptions held per body per month (this year) with drop alerts
  const recByBody = new Map();
  monthly.forEach((m, i) => {
    for (const r of mainGroup(rowsOf(m))) {
      const v = pick(r, [/^rec_held$/, /receptions?_held/, /^held$/]);
      if (v === null) continue;
      const id = r.body || r.id;
      if (!recByBody.has(id)) recByBody.set(id, Array(curMonth + 1).fill(0));
      recByBody.get(id)[i] = v;
    }
  });
  const dropAlerts = alertRows.filter((a) => /drop/.test(String(a.kind || a.type || a.rule || '')) && /recep/.test(JSON.stringify(a)));
  const alerted = new Set(dropAlerts.map((a) => a.body));
  const recSeries = [...recByBody].filter(([id, v]) => alerted.has(id) || v.some((x) => x > 0)).sort((a, b) => (alerted.has(b[0]) - alerted.has(a[0])) || b[1].reduce((s, x) => s + x, 0) - a[1].reduce((s, x) => s + x, 0)).slice(0, 8);
  // 4. open appeals by working days to due
  const buckets = ['overdue', '0-3', '4-7', '8-14', '15+'];
  const open = Array(buckets.length).fill(0);
  for (const a of appeals) {
    if (!['registered', 'assigned', 'in_work'].includes(a.status)) continue;
    const n = workingDaysTo(a.due_on, today);
    open[n < 0 ? 0 : n <= 3 ? 1 : n <= 7 ? 2 : n <= 14 ? 3 : 4] += 1;
  }

  /* ==== charts ==== */
  const PALETTE = ['#0b5c8a', '#e07b00', '#2f8f46', '#7a4fb5', '#b3394b', '#4a7f91', '#8a6d1c', '#555'];
  const chartBox = (id, titleKey, desc, note) => {
    const canvas = h('canvas', { id, role: 'img', 'aria-label': `${t(titleKey)}. ${desc}` });
    const sec = h('section', { class: 'panel chart', 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, t(titleKey)), h('div', { class: `chart-box ${id}` }, canvas), note ? h('p', { class: 'hint' }, note) : null);
    return { sec, canvas };
  };
  const c1 = chartBox('chart-months', 'dash.chart.months', t('dash.chart.months.desc', { a: perMonth[year].reduce((s, x) => s + x, 0), b: perMonth[year - 1].reduce((s, x) => s + x, 0) }));
  const c2 = chartBox('chart-ontime', 'dash.chart.ontime', onTime.map(([b, v]) => `${bodyName(b)} ${v.toFixed(0)}%`).join('; '), score ? null : t('dash.derived'));
  const c3 = chartBox('chart-receptions', 'dash.chart.receptions', recSeries.map(([b]) => bodyName(b)).join('; '), recSeries.length ? (dropAlerts.length ? t('dash.drop_note', { n: dropAlerts.length }) : null) : t('dash.no_receptions'));
  const c4 = chartBox('chart-open', 'dash.chart.open', buckets.map((b, i) => `${t(`dash.bucket.${b}`)}: ${open[i]}`).join('; '));
  const charts4 = h('div', { class: 'charts' }, c1.sec, c2.sec, c3.sec, c4.sec);

  /* ==== alerts ==== */
  const alertSec = h('section', { class: 'panel', 'aria-labelledby': 'h-alerts' }, h('h2', { id: 'h-alerts' }, t('dash.alerts')));
  if (!alerts) alertSec.append(h('p', { class: 'hint' }, t('dash.no_alerts_api')));
  else if (!alertRows.length) alertSec.append(h('p', {}, t('dash.no_alerts')));
  else alertSec.append(h('ul', { class: 'alerts' }, alertRows.map((a) => h('li', { class: /drop/.test(String(a.kind || a.type || '')) ? 'alert-drop' : 'alert-surge' },
    h('strong', {}, cell('kind', a.kind || a.type || '')), ' ',
    Object.entries(a).filter(([k]) => !['kind', 'type'].includes(k)).map(([k, v]) => `${t(`col.${k}`) !== `col.${k}` ? t(`col.${k}`) : k}: ${cell(k, v)}`).join(' · ')))));

  add(main, notes.length ? h('p', { class: 'alert info' }, notes.join(' ')) : null, charts4, alertSec, tableSec);

  const common = { responsive: true, maintainAspectRatio: false, locale: lang === 'kk' ? 'kk-KZ' : lang === 'ru' ? 'ru-RU' : 'en-GB' };
  charts.push(new Chart(c1.canvas, {
    type: 'bar',
    data: { labels: months, datasets: [
      { label: String(year - 1), data: perMonth[year - 1], backgroundColor: '#9dbcd0' },
      { label: String(year), data: perMonth[year], backgroundColor: '#0b5c8a' }] },
    options: common,
  }));
  charts.push(new Chart(c2.canvas, {
    type: 'bar',
    data: { labels: onTime.map(([b]) => short(bodyName(b))), datasets: [{ label: t('dash.chart.ontime.series'), data: onTime.map(([, v]) => Math.round(v * 10) / 10), backgroundColor: onTime.map(([, v]) => (v >= 90 ? '#2f8f46' : v >= 70 ? '#e0a100' : '#b3394b')) }] },
    options: { ...common, indexAxis: 'y', scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
  }));
  charts.push(new Chart(c3.canvas, {
    type: 'line',
    data: { labels: months.slice(0, curMonth + 1), datasets: recSeries.map(([b, v], i) => ({
      label: `${alerted.has(b) ? '⚠ ' : ''}${bodyName(b)}`, data: v,
      borderColor: alerted.has(b) ? '#c8102e' : PALETTE[i % PALETTE.length], backgroundColor: alerted.has(b) ? '#c8102e' : PALETTE[i % PALETTE.length],
      borderWidth: alerted.has(b) ? 4 : 2, borderDash: alerted.has(b) ? [] : [4, 2], pointRadius: alerted.has(b) ? 4 : 2 })) },
    options: { ...common, scales: { y: { beginAtZero: true } } },
  }));
  charts.push(new Chart(c4.canvas, {
    type: 'bar',
    data: { labels: buckets.map((b) => t(`dash.bucket.${b}`)), datasets: [{ label: t('dash.chart.open.series'), data: open, backgroundColor: ['#b3394b', '#e0a100', '#4a7f91', '#4a7f91', '#2f8f46'] }] },
    options: { ...common, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
  }));
}
