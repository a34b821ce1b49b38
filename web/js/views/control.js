/* Violations, head flags and the oblast control queue (heads, supervisors; executors see their
 * own violations). Built on GET /api/v1/violations, /api/v1/heads/flags, /api/v1/control. */
import { h, add } from '../dom.js';
import { t } from '../i18n.js';
import { tryGet, enc, user } from '../api.js';
import { loadRefs } from '../ref.js';
import { rowsOf, dataTable } from './generic.js';

export async function page(main) {
  await loadRefs();
  const me = user();
  add(main, h('h1', {}, t('control.title')));
  const [viol, flags, queue] = await Promise.all([
    tryGet('/api/v1/violations?limit=100'),
    me.role === 'executor' ? null : tryGet('/api/v1/heads/flags'),
    me.role === 'executor' ? null : tryGet('/api/v1/control'),
  ]);
  const link = (k, r) => (k === 'number' || k === 'appeal') && typeof r[k] === 'string' ? `/staff/appeal/${enc(r[k])}` : null;
  const section = (key, data) => {
    const s = h('section', { class: 'panel', 'aria-labelledby': `h-${key}` }, h('h2', { id: `h-${key}` }, t(`control.${key}`)));
    if (data === null) s.append(h('p', { class: 'hint' }, t('control.unavailable')));
    else s.append(dataTable(rowsOf(data), { link, skip: ['evidence'], rowClass: (r) => (r.status === 'open' ? 'row-open' : null) }));
    return s;
  };
  add(main, section('violations', viol));
  if (me.role !== 'executor') add(main, section('flags', flags), section('queue', queue));
}
