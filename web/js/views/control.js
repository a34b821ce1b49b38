/* Violations, head flags and the oblast control queue (heads, supervisors; executors see their
 * own violations). Built on GET /api/v1/violations, /api/v1/heads/flags, /api/v1/control.
 * Each table has its own few columns in words (issue 18): kinds, statuses and reasons from
 * web/i18n, people by name and position, bodies by name. */
import { h, add, pagedList } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { tryGet, enc, user } from '../api.js';
import { loadRefs, bodyName } from '../ref.js';
import { word, person, num } from '../words.js';

const link = (number) => (number ? h('a', { href: `/staff/appeal/${enc(number)}` }, number) : '—');

/* A table: cols = [[header key, cell(row)]], the first cell a row header (also the operations
 * page's). */
export function table(rows, cols, rowClass) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, cols.map(([k]) => h('th', { scope: 'col' }, t(`col.${k}`))))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', { class: rowClass ? rowClass(r) : null }, cols.map(([, f], i) => {
      const v = f(r);
      return i === 0 ? h('th', { scope: 'row' }, v) : h('td', { class: typeof v === 'number' ? 'num' : null }, typeof v === 'number' ? num(v) : v);
    }))) : h('tr', {}, h('td', { colspan: cols.length }, t('table.empty'))))));
}

const responsible = (r) => {
  const p = r.responsible;
  if (!p) return '—';
  return [person(p), p.via ? ` (${word('via', p.via)})` : ''].join('');
};

const penaltyText = (r) => (r.status === 'penalty' && r.penalty ? `${word('vstatus', r.status)}: ${word('penalty', r.penalty)}` : word('vstatus', r.status));

/* A list that comes a page at a time (the flags, the control queue: issue 23): the table of
 * the rows so far, then a button that fetches the next page and adds its rows. */
function pagedTable(path, first, cols) {
  return pagedList((rows) => table(rows, cols), { items: (first && first.items) || [], next: first && first.next },
    (next) => tryGet(`${path}&after=${enc(next)}`), t('list.more'));
}

const FLAGS = '/api/v1/heads/flags?limit=100';
const QUEUE = '/api/v1/control?limit=100';

export async function page(main) {
  await loadRefs();
  const me = user();
  add(main, h('h1', {}, t('control.title')));
  const [viol, flags, queue] = await Promise.all([
    tryGet('/api/v1/violations?limit=100'),
    me.role === 'executor' ? null : tryGet(FLAGS),
    me.role === 'executor' ? null : tryGet(QUEUE),
  ]);
  const section = (key, data, render) => {
    const s = h('section', { class: 'panel', 'aria-labelledby': `h-${key}` }, h('h2', { id: `h-${key}` }, t(`control.${key}`)));
    if (data === null) s.append(h('p', { class: 'hint' }, t('control.unavailable')));
    else s.append(render((data && data.items) || []));
    return s;
  };
  const paged = (key, path, data, cols) => section(key, data, () => pagedTable(path, data, cols));
  add(main, section('violations', viol, (rows) => table(rows, [
    ['appeal', (r) => link(r.appeal)],
    ['kind', (r) => word('vkind', r.kind)],
    ['body', (r) => bodyName(r.body)],
    ['responsible', responsible],
    ['term_on', (r) => fmtDate(r.term_on)],
    ['days_late', (r) => r.days_late],
    ['status', penaltyText],
  ], (r) => (r.status === 'open' ? 'row-open' : null))));
  if (me.role === 'executor') return;
  add(main,
    paged('flags', FLAGS, flags, [
      ['body', (r) => bodyName(r.body)],
      ['head', (r) => person(r.head_person)],
      ['appeal', (r) => link(((r.evidence || {}).violation || {}).appeal)],
      ['kind', (r) => word('vkind', ((r.evidence || {}).violation || {}).kind)],
      ['prior', (r) => link(((r.evidence || {}).prior || {}).appeal)],
    ]),
    paged('queue', QUEUE, queue, [
      ['number', (r) => link(r.number)],
      ['body', (r) => bodyName(r.body)],
      ['due_on', (r) => fmtDate(r.due_on)],
      ['control_on', (r) => fmtDate(r.control_on)],
      ['reason', (r) => word('creason', r.reason)],
      ['status', (r) => word('status', r.status)],
      ['by', (r) => (r.by_person ? person(r.by_person) : t('ev.actor.system'))],
    ]));
}
