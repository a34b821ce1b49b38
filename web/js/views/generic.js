/* Tables from report endpoints whose columns are decided by the server (scorecards, alerts,
 * violations, open data): the rows are shown as they come, headers translated when known. */
import { h } from '../dom.js';
import { t, tv, fmtDate, fmtInstant } from '../i18n.js';
import { bodyName, categoryName, districtName } from '../ref.js';

/* The first array of objects in an answer: {items: [...]}, {scorecards: [...]}, or [...] */
export function rowsOf(data) {
  if (!data) return [];
  if (Array.isArray(data)) return data;
  for (const k of ['items', 'rows', 'scorecards', 'alerts', 'violations', 'flags', 'control', 'queue', 'stats', 'data'])
    if (Array.isArray(data[k])) return data[k];
  const first = Object.values(data).find((v) => Array.isArray(v));
  return first || [];
}

export function header(key) {
  const k = `col.${key}`;
  const s = t(k);
  return s === k ? key.replace(/_/g, ' ') : s;
}

export function cell(key, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'object') return Array.isArray(v) ? v.join(', ') : Object.values(v).filter((x) => typeof x !== 'object').join(' · ');
  if (key === 'body' || key === 'parent') return bodyName(v);
  if (key === 'category') return categoryName(v);
  if (key === 'district') return districtName(v);
  if (key === 'status') return tv('status', v) !== v ? tv('status', v) : tv('vstatus', v);
  if (key === 'kind') return tv('kind', v) !== v ? tv('kind', v) : tv('alert', v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return fmtInstant(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v);
  if (typeof v === 'number' && !Number.isInteger(v)) return v.toFixed(1);
  return String(v);
}

/* cols: the keys to show (default: every key of the first row except skip). */
export function dataTable(rows, { caption, skip = [], cols, rowClass, link } = {}) {
  const keys = cols || Object.keys(rows[0] || {}).filter((k) => !skip.includes(k));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, keys.map((k) => h('th', { scope: 'col' }, header(k))))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', { class: rowClass ? rowClass(r) : null }, keys.map((k, i) => {
      const text = cell(k, r[k]);
      const inner = link && link(k, r) ? h('a', { href: link(k, r) }, text) : text;
      return i === 0 ? h('th', { scope: 'row' }, inner) : h('td', { class: typeof r[k] === 'number' ? 'num' : null }, inner);
    }))) : h('tr', {}, h('td', { colspan: keys.length || 1 }, t('table.empty'))))));
}
