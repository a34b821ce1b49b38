/* The operations alerts, for the administrator (issue 16): notices that reached nobody (an
 * applicant's without a contact or failed for good, a staff member's failed for good, the
 * notices stuck past their term) and bodies without a head in the system, newest first.
 * Built on GET /api/v1/alerts, which answers an administrator with these; CSV and XLSX from
 * the same address. */
import { h, add } from '../dom.js';
import { t, fmtInstant, currentLang } from '../i18n.js';
import { get } from '../api.js';
import { loadRefs, bodyName } from '../ref.js';
import { word } from '../words.js';
import { table } from './control.js';

/* What the alert is about: the appeal's number (an administrator does not read appeals: the
 * body's head does), the body, the staff member, or a count. */
function about(r) {
  if (r.object_type === 'appeal' && r.object) return `${word('otype', 'appeal')} ${r.object}`;
  if (r.object_type === 'body') return bodyName(r.object);
  if (r.object_type === 'outbox') return t('ops.stuck', { n: r.count });
  return r.login || r.object || '—';
}

export async function page(main) {
  await loadRefs();
  const months = 3;
  const data = await get(`/api/v1/alerts?months=${months}`);
  const rows = (data && data.items) || [];
  const qs = `months=${months}&lang=${currentLang()}`;
  const exp = (fmt) => h('a', { class: 'button', href: `/api/v1/alerts?${qs}&format=${fmt}` }, t(`dash.export.${fmt}`));
  add(main,
    h('h1', {}, t('ops.title')),
    h('p', { class: 'hint' }, t('ops.intro', { months })),
    h('div', { class: 'exports', role: 'group', 'aria-label': t('dash.export') }, exp('csv'), exp('xlsx')),
    h('section', { class: 'panel', 'aria-labelledby': 'h-ops' }, h('h2', { id: 'h-ops' }, t('ops.list', { n: rows.length })),
      table(rows, [
        ['at', (r) => fmtInstant(r.at)],
        ['metric', (r) => word('ops', r.metric)],
        ['about', about],
        ['body', (r) => (r.body && r.object_type !== 'body' ? bodyName(r.body) : '—')],
        ['notice', (r) => word('ntpl', r.notice)],
        ['why', (r) => (r.reason ? h('code', {}, r.reason) : '—')],
      ])));
}
