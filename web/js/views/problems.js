/* Chronic problems (issue 17): the problems raised most often or longest unsolved, per body
 * and district, with the appeals per year — what the governor would put on the agenda. Built
 * on GET /api/v1/problems (state, min_appeals, sort, body, district) and, for one problem, GET
 * /api/v1/problems/{id} with its appeals on a timeline. Self-contained: heads, supervisors and
 * auditors reach it from the dashboard's navigation (/dashboard/problems). */
import { h, add, clear, field, select, pagedList } from '../dom.js';
import { t, tv, fmtInstant } from '../i18n.js';
import { get, enc } from '../api.js';
import { loadRefs, bodyName, categoryName, districtName } from '../ref.js';

const form = { state: 'recurring', min: '3', sort: 'appeals', district: '' };

const years = (p) => Object.entries(p.per_year || {}).map(([y, n]) => `${y}: ${n}`).join(' · ');

/* one problem's appeals, oldest first (also the search page's, for a problem's hit) */
export function timeline(list) {
  return h('ol', { class: 'problem-timeline' }, list.map((a) => h('li', {},
    h('a', { href: `/staff/appeal/${enc(a.number)}` }, a.number), ' · ',
    fmtInstant(a.received_at), ' · ', bodyName(a.body), ' · ', tv('status', a.status),
    a.decision ? ` · ${tv('decision', a.decision)}` : '',
    a.verdict ? ` · ${t('problems.verdict')}: ${t(`verdict.${a.verdict}`)}` : '',
    a.reraised ? h('span', { class: 'badge warn' }, ` ${t('problems.reraised')}`) : null,
    a.text ? h('p', { class: 'hint' }, a.text) : null)));
}

/* a problem's timeline a page at a time (GET /api/v1/problems/{id}: 200 appeals a page,
 * issue 23): the appeals so far, then a button that fetches the next page */
export function pagedTimeline(full) {
  return pagedList(timeline, { items: full.timeline || [], next: full.timeline_next }, async (next) => {
    const page = await get(`/api/v1/problems/${full.id}?after=${enc(next)}`);
    return { items: page.timeline || [], next: page.timeline_next };
  }, t('list.more'));
}

async function details(row, p, cols) {
  const next = row.nextElementSibling;
  if (next && next.classList.contains('problem-details')) {
    next.remove();
    return;
  }
  const td = h('td', { colspan: cols }, t('dash.loading'));
  row.after(h('tr', { class: 'problem-details' }, td));
  try {
    const full = await get(`/api/v1/problems/${p.id}`);
    clear(td);
    add(td, h('p', {}, `${t('problems.first')}: ${fmtInstant(full.first_at)} · ${t('problems.last')}: ${fmtInstant(full.last_at)}`),
      pagedTimeline(full));
  } catch (e) {
    td.textContent = e.message;
  }
}

function table(items) {
  const cols = ['problems.title', 'col.body', 'col.district', 'problems.appeals', 'problems.per_year', 'problems.days', 'problems.state'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data problems' },
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, items.length ? items.map((p) => {
      const tr = h('tr', { class: p.state === 'recurring' ? 'row-open' : null },
        h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link-button', 'aria-expanded': 'false', onclick: (ev) => {
          ev.currentTarget.setAttribute('aria-expanded', ev.currentTarget.getAttribute('aria-expanded') === 'true' ? 'false' : 'true');
          details(tr, p, cols.length);
        } }, p.title), h('div', { class: 'hint' }, [categoryName(p.category), p.address].filter(Boolean).join(' · '))),
        h('td', {}, bodyName(p.body)),
        h('td', {}, p.district ? districtName(p.district) : '—'),
        h('td', { class: 'num' }, String(p.appeals)),
        h('td', {}, years(p)),
        h('td', { class: 'num' }, String(p.days_raised)),
        h('td', {}, t(`problems.state.${p.state}`)));
      return tr;
    }) : h('tr', {}, h('td', { colspan: cols.length }, t('table.empty'))))));
}

/* the list a page at a time (GET /api/v1/problems pages by its keyset cursor, issue 23): the
 * problems so far, then a button that fetches the next page after the last one shown */
function pagedProblems(q, first) {
  return pagedList(table, { items: first.items || [], next: first.next }, async (next) => {
    const more = new URLSearchParams(q);
    more.set('after', next);
    const r = await get(`/api/v1/problems?${more}`);
    return { items: r.items || [], next: r.next };
  }, t('list.more'));
}

/* The appeal page's panel (staff.js): the problem the appeal is grouped into, its state, and
 * the earlier decisions on it (with the applicants' verdicts). */
export function problemPanel(a) {
  const p = a.problem;
  if (!p) return null;
  const earlier = p.earlier_decisions || [];
  return h('section', { class: 'panel problem' },
    h('h2', {}, t('problems.panel')),
    h('p', {}, `${t('problems.state')}: ${t(`problems.state.${p.state}`)} · ${t('problems.appeals')}: ${p.appeals}`,
      p.recurrences ? ` · ${t('problems.recurrences')}: ${p.recurrences}` : ''),
    earlier.length
      ? h('ul', {}, earlier.map((e) => h('li', {}, h('a', { href: `/staff/appeal/${enc(e.number)}` }, e.number), ' · ', bodyName(e.body),
        ' · ', tv('decision', e.decision), e.answered_on ? ` · ${e.answered_on}` : '',
        e.verdict ? ` · ${t('problems.verdict')}: ${t(`verdict.${e.verdict}`)}` : '')))
      : h('p', { class: 'hint' }, t('problems.no_earlier')));
}

export async function page(main) {
  await loadRefs();
  const out = h('div', { 'aria-live': 'polite' });
  const state = select([['recurring', t('problems.state.recurring')], ['open', t('problems.state.open')],
    ['solved_unconfirmed', t('problems.state.solved_unconfirmed')], ['solved_confirmed', t('problems.state.solved_confirmed')],
    ['', t('problems.state.any')]], form.state, { name: 'state' });
  const min = field(t('problems.min_appeals'), h('input', { name: 'min_appeals', type: 'number', min: 0, value: form.min }));
  const sort = select([['appeals', t('problems.sort.appeals')], ['age', t('problems.sort.age')], ['recent', t('problems.sort.recent')]], form.sort, { name: 'sort' });
  const district = h('input', { name: 'district', value: form.district, placeholder: t('problems.district.hint') });
  const load = async () => {
    form.state = state.value;
    form.min = min.input.value;
    form.sort = sort.value;
    form.district = district.value.trim();
    const q = new URLSearchParams({ sort: form.sort, limit: '100' });
    if (form.state) q.set('state', form.state);
    if (form.min) q.set('min_appeals', form.min);
    if (form.district) q.set('district', form.district);
    clear(out);
    out.append(h('p', { class: 'hint' }, t('dash.loading')));
    try {
      const r = await get(`/api/v1/problems?${q}`);
      clear(out);
      add(out, pagedProblems(q, r));
    } catch (e) {
      clear(out);
      out.append(h('p', { class: 'alert error', role: 'alert' }, e.message));
    }
  };
  const f = h('form', { class: 'inline-form', novalidate: true },
    h('div', { class: 'row' },
      h('label', {}, t('problems.state'), ' ', state), min.wrap,
      h('label', {}, t('problems.sort'), ' ', sort),
      h('label', {}, t('col.district'), ' ', district)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('dash.apply'))));
  f.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  add(main, h('h1', {}, t('problems.title.page')), h('p', { class: 'lead' }, t('problems.lead')), f, out);
  await load();
}
