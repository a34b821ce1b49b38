/* The staff workspace: sign-in, the work queue (my open appeals by due date, counts per state,
 * filters and page in the URL), the appeal page with its history in words and the actions
 * the role allows, and the registrar's fast entry for phone calls. */
import { h, add, field, select, clear } from '../dom.js';
import { t, fmtDate, fmtInstant, nameOf, parseDate, currentLang } from '../i18n.js';
import { get, tryGet, post, enc, login as apiLogin, user, ApiError } from '../api.js';
import { loadRefs, refsNow, bodyName, categoryName, districtName, urgency, workingDaysTo, loadCalendar, calendarYears } from '../ref.js';
import { word, person, errText, actionText, actorText, eventFields, num } from '../words.js';
import { appealForm } from './appealform.js';
import { problemPanel } from './problems.js';

/* ==== Sign-in ==== */

export async function login(main, _p, ctx) {
  const l = field(t('login.login'), h('input', { name: 'login', autocomplete: 'username', autocapitalize: 'none' }));
  const p = field(t('login.password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password' }));
  const msg = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: 'login-form', novalidate: true }, l.wrap, p.wrap, msg, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('login.submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    l.setError(l.input.value.trim() ? '' : t('err.required'));
    p.setError(p.input.value ? '' : t('err.required'));
    if (!l.input.value.trim() || !p.input.value) return;
    try {
      await apiLogin(l.input.value.trim(), p.input.value);
      const next = new URLSearchParams(location.search).get('next');
      ctx.navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/staff', true);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      msg.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, e.status === 401 ? t('login.bad') : e.status === 429 ? t('login.throttled') : errText(e)));
      p.input.value = '';
      p.input.focus();
    }
  });
  add(main, h('h1', {}, t('login.title')), form);
}

/* ==== Inbox: the work queue ====
 *
 * By default my open appeals by due date, overdue first (GET /api/v1/appeals?sort=due): an
 * executor's own, a head's or a registrar's body's. Tabs per state with their counts, filters
 * and the page are in the URL (/staff?view=overdue&kind=complaint&cur=...), so a reload or a
 * link shows the same page. The body column shows only when the page holds more than one
 * body. A head sees the executors' extension requests above the list. */

const OPEN = ['registered', 'assigned', 'in_work'];
const VIEWS = ['open', 'overdue', 'registered', 'assigned', 'in_work', 'all'];
const FILTERS = ['kind', 'category', 'channel', 'status', 'due_before', 'under'];

function queueState() {
  const me = user();
  const q = new URLSearchParams(location.search);
  const st = {
    scope: me.role === 'executor' ? 'me' : q.get('scope') === 'me' ? 'me' : 'body',
    view: VIEWS.includes(q.get('view')) ? q.get('view') : 'open',
    filters: {},
    cur: (q.get('cur') || '').split(',').filter(Boolean),
  };
  for (const k of FILTERS) if (q.get(k)) st.filters[k] = q.get(k);
  return st;
}

function queueUrl(st) {
  const me = user();
  const q = new URLSearchParams();
  if (st.scope === 'me' && me.role !== 'executor') q.set('scope', 'me');
  if (st.view !== 'open') q.set('view', st.view);
  for (const k of FILTERS) if (st.filters[k]) q.set(k, st.filters[k]);
  if (st.cur.length) q.set('cur', st.cur.join(','));
  const s = q.toString();
  return s ? `/staff?${s}` : '/staff';
}

/* The API query of a state (without the page). */
function queueQuery(st) {
  const me = user();
  const q = new URLSearchParams();
  if (st.view !== 'all') q.set('sort', 'due');
  if (OPEN.includes(st.view)) q.set('status', st.view);
  if (st.view === 'overdue') q.set('overdue', '1');
  for (const k of FILTERS) if (st.filters[k] && !(k === 'status' && st.view !== 'all')) q.set(k, st.filters[k]);
  if (st.scope === 'me') q.set('executor', String(me.id));
  return q;
}

function dueCell(due, status) {
  const open = OPEN.includes(status);
  if (!open) return h('td', { class: 'due' }, fmtDate(due));
  const u = urgency(due);
  const n = workingDaysTo(due);
  const label = u === 'overdue' ? t('due.overdue', { n: -n }) : n === 0 ? t('due.today') : t('due.in', { n });
  return h('td', { class: `due due-${u}` }, h('span', { class: 'due-date' }, fmtDate(due)), h('span', { class: 'due-label' }, label));
}

const countText = (n) => (n >= 10000 ? '10 000+' : num(n));

/* The head's tasks: executors' extension requests and answers held for his approval, waiting
 * for a decision. */
async function tasksPanel() {
  const me = user();
  if (!['head', 'supervisor'].includes(me.role)) return null;
  const r = await tryGet('/api/v1/tasks');
  const items = (r && r.items) || [];
  if (!items.length) return null;
  return h('section', { class: 'panel tasks', 'aria-labelledby': 'h-tasks' },
    h('h2', { id: 'h-tasks' }, t('tasks.title', { n: items.length })),
    h('ul', { class: 'task-list' }, items.map((x) => h('li', { class: `task task-${x.kind}` },
      h('a', { href: `/staff/appeal/${enc(x.number)}` }, x.number), ' — ',
      t(`tasks.${x.kind}`, {
        who: person(x.by),
        date: fmtDate((x.data || {}).proposed_due_on),
        due: fmtDate(x.due_on),
        decision: word('decision', (x.data || {}).decision),
      }),
      (x.data || {}).reason ? h('span', { class: 'task-reason' }, ` «${x.data.reason}»`) : null))));
}

export async function inbox(main, _p, ctx) {
  const me = user();
  const refs = await loadRefs();
  await loadCalendar(calendarYears());
  const st = queueState();
  const go = (next) => ctx.navigate(queueUrl(next));
  const q = queueQuery(st);
  q.set('limit', '25');
  q.set('counts', '1');
  if (st.cur.length) q.set('after', st.cur[st.cur.length - 1]);
  let page;
  try {
    page = await get(`/api/v1/appeals?${q}`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status >= 500) throw e;
    add(main, h('h1', {}, t('inbox.title')), h('p', { class: 'alert error', role: 'alert' }, errText(e)),
      h('p', {}, h('a', { href: '/staff' }, t('inbox.reset'))));
    return;
  }
  const tasks = await tasksPanel().catch(() => null);
  if (!ctx.isCurrent()) return;
  const c = page.counts || {};
  const openN = (c.registered || 0) + (c.assigned || 0) + (c.in_work || 0);
  const tabCount = { open: openN, overdue: c.overdue, registered: c.registered, assigned: c.assigned, in_work: c.in_work };

  const scopeTabs = me.role === 'executor' ? null : h('div', { class: 'tabs', role: 'group', 'aria-label': t('inbox.scope') },
    ...['body', 'me'].map((s) => h('button', { type: 'button', class: st.scope === s ? 'tab active' : 'tab', 'aria-pressed': String(st.scope === s), onclick: () => go({ ...st, scope: s, cur: [] }) }, t(`inbox.scope.${s}`))));
  const viewTabs = h('nav', { class: 'queue-tabs', 'aria-label': t('inbox.views') },
    VIEWS.map((v) => h('a', {
      href: queueUrl({ ...st, view: v, cur: [] }),
      class: `qtab qtab-${v}${st.view === v ? ' active' : ''}`,
      'aria-current': st.view === v ? 'page' : null,
    }, t(`inbox.view.${v}`), tabCount[v] !== undefined ? h('span', { class: 'qcount' }, countText(tabCount[v])) : null)));

  const fKind = field(t('inbox.f.kind'), select([['', t('inbox.all')], ...['statement', 'complaint', 'proposal', 'request', 'response', 'report'].map((s) => [s, word('kind', s)])], st.filters.kind || '', { name: 'kind' }));
  const fCat = field(t('inbox.f.category'), select([['', t('inbox.all')], ...refs.categories.map((x) => [x.code, nameOf(x.name)]).sort((a, b) => a[1].localeCompare(b[1]))], st.filters.category || '', { name: 'category' }));
  const fChan = field(t('inbox.f.channel'), select([['', t('inbox.all')], ...['portal', 'phone', 'reception', 'mail', 'email', 'open311'].map((s) => [s, word('channel', s)])], st.filters.channel || '', { name: 'channel' }));
  const fStatus = st.view === 'all' ? field(t('inbox.f.status'), select([['', t('inbox.all')], ...['registered', 'assigned', 'in_work', 'answered', 'closed', 'terminated', 'not_considered'].map((s) => [s, word('status', s)])], st.filters.status || '', { name: 'status' })) : null;
  const fDue = field(t('inbox.f.due_before'), h('input', { name: 'due_before', placeholder: t('date.placeholder'), value: st.filters.due_before ? fmtDate(st.filters.due_before) : '' }));
  const fUnder = me.role === 'executor' ? null : field(t('inbox.f.under'), select([['', t('inbox.all')], ...refs.bodies.filter((b) => b.type !== 'external').map((b) => [b.id, nameOf(b.name)])], st.filters.under || '', { name: 'under' }));
  const filters = h('form', { class: 'filters', novalidate: true },
    fKind.wrap, fCat.wrap, fChan.wrap, fStatus ? fStatus.wrap : null, fDue.wrap, fUnder ? fUnder.wrap : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('inbox.apply')), h('button', { type: 'reset' }, t('inbox.reset'))));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const due = fDue.input.value.trim();
    const iso = due ? parseDate(due) : '';
    fDue.setError(due && !iso ? t('err.date') : '');
    if (due && !iso) return;
    go({ ...st, cur: [], filters: { kind: fKind.input.value, category: fCat.input.value, channel: fChan.input.value, status: fStatus ? fStatus.input.value : '', due_before: iso, under: fUnder ? fUnder.input.value : '' } });
  });
  filters.addEventListener('reset', (ev) => { ev.preventDefault(); go({ ...st, cur: [], filters: {} }); });
  const fSearch = field(t('inbox.f.number'), h('input', { name: 'number', type: 'search', autocomplete: 'off' }), t('inbox.f.number.hint'));
  const search = h('form', { class: 'search', role: 'search', novalidate: true }, fSearch.wrap, h('button', { type: 'submit' }, t('inbox.open')));
  search.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = fSearch.input.value.trim();
    if (n) ctx.navigate(`/staff/appeal/${enc(n)}`);
  });

  const items = page.items || [];
  const bodies = new Set(items.map((a) => a.body));
  const showBody = bodies.size > 1;
  const showExec = st.scope !== 'me';
  const cols = ['number', 'received', 'kind', 'category', showBody ? 'body' : null, showExec ? 'executor' : null, 'status', 'due'].filter(Boolean);
  const onlyBody = !showBody && items.length ? bodyName(items[0].body) : null;
  const table = h('table', { class: 'inbox' },
    h('caption', {}, st.scope === 'me' ? t('inbox.caption.me') : !st.filters.under && ['supervisor', 'auditor'].includes(me.role) ? t('inbox.caption.all') : t('inbox.caption.body', { body: bodyName(st.filters.under || me.body) }), onlyBody ? h('span', { class: 'caption-body' }, ` · ${onlyBody}`) : null),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col', class: `col-${c}` }, t(`inbox.col.${c}`))))),
    h('tbody', {}, items.length ? items.map((a) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `/staff/appeal/${enc(a.number)}` }, a.number)),
      h('td', {}, fmtInstant(a.received_at)),
      h('td', {}, word('kind', a.kind)),
      h('td', {}, categoryName(a.category)),
      showBody ? h('td', { class: 'col-body' }, bodyName(a.body)) : null,
      showExec ? h('td', { class: 'col-executor' }, a.executor_person ? a.executor_person.name : '—') : null,
      h('td', {}, h('span', { class: `status status-${a.status}` }, word('status', a.status))),
      dueCell(a.due_on, a.status))) : h('tr', {}, h('td', { colspan: cols.length }, t('inbox.empty')))));
  const pager = h('nav', { class: 'pager', 'aria-label': t('inbox.paging') },
    h('a', { class: 'button prev', href: queueUrl({ ...st, cur: st.cur.slice(0, -1) }), 'aria-disabled': st.cur.length ? null : 'true', hidden: !st.cur.length }, t('inbox.prev')),
    h('span', {}, t('inbox.page', { n: st.cur.length + 1 })),
    page.next ? h('a', { class: 'button next', href: queueUrl({ ...st, cur: [...st.cur, page.next] }) }, t('inbox.next')) : null);
  const legend = h('p', { class: 'legend' }, h('span', { class: 'due-overdue chip' }, t('due.legend.overdue')), h('span', { class: 'due-soon chip' }, t('due.legend.soon')), h('span', { class: 'due-later chip' }, t('due.legend.later')));
  const lang = currentLang();
  const ex = queueQuery(st);
  ex.set('lang', lang);
  const exports = h('p', { class: 'exports' },
    h('a', { class: 'button', href: `/api/v1/appeals?${ex}&format=csv` }, t('dash.export.csv')), ' ',
    h('a', { class: 'button', href: `/api/v1/appeals?${ex}&format=xlsx` }, t('dash.export.xlsx')));
  add(main,
    h('h1', {}, t('inbox.title')),
    tasks,
    h('div', { class: 'inbox-tools' }, scopeTabs, search),
    viewTabs,
    h('details', { class: 'filters-box', open: Object.values(st.filters).some(Boolean) }, h('summary', {}, t('inbox.filters')), filters),
    legend,
    h('div', { class: 'table-wrap' }, table),
    pager,
    exports,
  );
}

/* ==== The appeal page ==== */

/* action -> roles that may do it (the permission matrix, src/domain/perm.c) and states it applies to
 * (the transition table, src/domain/appeal.c). The server decides; this only hides what would fail. */
const ACTIONS = {
  assign: { roles: ['head'], from: ['registered', 'assigned', 'in_work'] },
  start: { roles: ['executor', 'head'], from: ['assigned'] },
  answer: { roles: ['executor', 'head'], from: ['assigned', 'in_work'] },
  request_extension: { roles: ['executor'], from: ['assigned', 'in_work'] },
  forward: { roles: ['registrar', 'head', 'supervisor'], from: ['registered', 'assigned', 'in_work'] },
  extend: { roles: ['head'], from: ['registered', 'assigned', 'in_work'] },
  refuse_extension: { roles: ['head'], from: ['registered', 'assigned', 'in_work'] },
  return: { roles: ['supervisor'], from: ['answered'] },
  close: { roles: ['head', 'supervisor'], from: ['answered'] },
  terminate: { roles: ['head', 'supervisor'], from: ['registered', 'assigned', 'in_work'] },
  control: { roles: ['supervisor'], from: ['registered', 'assigned', 'in_work', 'answered'] },
  /* only while an executor's answer awaits the head's approval (a.awaiting_approval) */
  approve: { roles: ['head'], from: ['assigned', 'in_work'], held: true },
  return_answer: { roles: ['head'], from: ['assigned', 'in_work'], held: true },
};

/* The executor's extension request still waiting for the head, from the history. */
function pendingRequest(events) {
  let req = null;
  for (const e of events) {
    const a = String(e.action || '');
    if (a === 'appeal.request_extension') req = e;
    else if (a === 'appeal.extend' || a === 'appeal.refuse_extension') req = null;
  }
  return req;
}

export async function appeal(main, [number], ctx) {
  const me = user();
  await loadRefs();
  await loadCalendar(calendarYears());
  let unmask = false;
  const load = async () => {
    const [a, hist] = await Promise.all([get(`/api/v1/appeals/${enc(number)}${unmask ? '?unmask=1' : ''}`), get(`/api/v1/appeals/${enc(number)}/history`)]);
    return { a, hist };
  };
  let data;
  try {
    data = await load();
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
      add(main, h('h1', {}, number), h('p', { class: 'alert error', role: 'alert' }, t('appeal.not_found')), h('p', {}, h('a', { href: '/staff' }, t('appeal.back'))));
      return;
    }
    throw e;
  }
  const draw = (flash) => {
    const { a, hist } = data;
    const events = hist.events || [];
    const ap = a.applicant || {};
    const row = (k, v, cls) => (v === null || v === undefined || v === '' ? null : [h('dt', {}, t(k)), h('dd', { class: cls || null }, v)]);
    const open = OPEN.includes(a.status);
    const u = open ? urgency(a.due_on) : null;
    const pending = open ? pendingRequest(events) : null;
    add(clear(main),
      h('p', { class: 'crumbs' }, h('a', { href: '/staff' }, `← ${t('appeal.back')}`)),
      h('h1', {}, `${t('appeal.title')} ${a.number}`),
      flash ? h('p', { class: 'alert ok', role: 'status' }, flash) : null,
      pending ? h('p', { class: 'alert warn pending-extension' }, t('appeal.pending_extension', {
        who: actorText(pending), date: fmtDate((pending.data || {}).proposed_due_on), reason: (pending.data || {}).reason || '' })) : null,
      h('div', { class: 'appeal-grid' },
        h('section', { class: 'panel' },
          h('h2', {}, t('appeal.summary')),
          h('dl', {},
            row('track.status', word('status', a.status), `status status-${a.status}`),
            row('track.kind', word('kind', a.kind)),
            row('form.channel', word('channel', a.channel)),
            row('inbox.f.category', categoryName(a.category)),
            row('form.district', a.district ? districtName(a.district) : null),
            row('track.body', bodyName(a.body)),
            row('appeal.receiving_body', a.receiving_body !== a.body ? bodyName(a.receiving_body) : null),
            row('receipt.received_at', fmtInstant(a.received_at)),
            row('receipt.registered_on', fmtDate(a.registered_on)),
            row('receipt.due_on', open ? `${fmtDate(a.due_on)} · ${u === 'overdue' ? t('due.legend.overdue') : u === 'soon' ? t('due.legend.soon') : t('due.legend.later')}` : fmtDate(a.due_on), open ? `due due-${u}` : null),
            row('appeal.forward_by', a.forward_by && open ? fmtDate(a.forward_by) : null),
            row('appeal.max_due_on', a.max_due_on && open ? fmtDate(a.max_due_on) : null),
            row('appeal.control_on', a.control_on ? fmtDate(a.control_on) : null),
            row('appeal.personal_control', a.personal_control ? t('yes') : null, 'personal-control'),
            row('appeal.suspended', a.suspended_on ? fmtDate(a.suspended_on) : null),
            row('appeal.suspended_days', a.suspended_days ? String(a.suspended_days) : null),
            row('appeal.executor', a.executor ? person(a.executor_person) : null, 'executor-person'),
            row('appeal.extension', a.extension ? `${fmtDate(a.extension.on)}: ${a.extension.reason || ''}` : null),
            row('appeal.repeat_of', a.repeat_of),
            row('appeal.complaint_of', a.complaint_of),
            row('appeal.part_of', a.part_of),
            row('form.address', a.address))),
        h('section', { class: 'panel' },
          h('h2', {}, t('appeal.applicant')),
          h('dl', {},
            row('form.applicant_type', word('applicant', ap.type)),
            row('appeal.name', ap.name),
            row('form.iin', ap.id_number, 'mono'),
            row('form.signatories', ap.signatories),
            row('form.postal_address', ap.postal_address),
            row('form.phone', ap.phone),
            row('form.email', ap.email)),
          !unmask && me.role !== 'admin'
            ? h('button', { type: 'button', class: 'link-button', onclick: async () => { unmask = true; data = await load(); draw(); } }, t('appeal.unmask'))
            : h('p', { class: 'hint' }, t('appeal.unmasked_note')))),
      h('section', { class: 'panel' }, h('h2', {}, t('appeal.text')), h('p', { class: 'appeal-text', lang: a.language }, a.text || ''),
        h('h3', {}, t('appeal.attachments')), h('p', { class: 'hint' }, t('appeal.no_attachments'))),
      problemPanel(a),
      a.answer ? h('section', { class: 'panel answer' }, h('h2', {}, t('track.answer')),
        h('p', {}, h('strong', {}, `${t('track.decision')}: `), word('decision', a.answer.decision), ` · ${fmtDate(a.answer.on)}`),
        h('p', { class: 'answer-text' }, a.answer.text || ''),
        a.answer.grounds ? h('p', { class: 'hint' }, `${t('track.grounds')}: ${a.answer.grounds}`) : null,
        a.rating ? h('p', {}, t('track.rated', { n: a.rating.value }), a.rating.comment ? ` — ${a.rating.comment}` : '') : null) : null,
      a.awaiting_approval ? h('section', { class: 'panel answer awaiting-approval' }, h('h2', {}, t('appeal.awaiting_approval')),
        h('p', {}, h('strong', {}, `${t('track.decision')}: `), word('decision', a.awaiting_approval.decision)),
        h('p', { class: 'answer-text', lang: a.language }, a.awaiting_approval.text || ''),
        a.awaiting_approval.grounds ? h('p', { class: 'hint' }, `${t('track.grounds')}: ${a.awaiting_approval.grounds}`) : null,
        h('p', { class: 'hint' }, t('appeal.awaiting_by', { login: a.awaiting_approval.submitted_by.login, on: fmtDate(a.awaiting_approval.submitted_on) }))) : null,
      actionsPanel(a, me, pending, async (msg) => { data = await load(); draw(msg); }),
      h('section', { class: 'panel' }, h('h2', {}, t('appeal.history')), timeline(events)),
    );
  };
  draw();
}

function timeline(events) {
  if (!events.length) return h('p', {}, t('appeal.no_history'));
  return h('ol', { class: 'timeline' }, events.map((e) => {
    const details = eventFields(e).map(([k, v]) => h('li', {}, `${k}: ${v}`));
    const action = String(e.action || '').replace(/^appeal\./, '');
    const who = actorText(e);
    return h('li', { class: `ev ev-${action}` },
      h('div', { class: 'ev-head' }, h('time', { datetime: e.at || '' }, fmtInstant(e.at)), h('strong', {}, actionText(e.action)), who ? h('span', { class: 'actor' }, who) : null),
      details.length ? h('ul', { class: 'ev-data' }, details) : null);
  }));
}

function actionsPanel(a, me, pending, reload) {
  const held = Boolean(a.awaiting_approval);
  /* approve and return_answer only with an answer awaiting approval; answer, forward and
   * terminate not while one waits (the server answers 409 answer_awaiting_approval) */
  const allowed = Object.entries(ACTIONS).filter(([k, x]) => x.roles.includes(me.role) && x.from.includes(a.status)
    && (x.held ? held : !(held && ['answer', 'forward', 'terminate'].includes(k)))).map(([k]) => k)
    .filter((k) => k !== 'refuse_extension' || pending);
  if (me.role === 'executor' && a.executor !== me.id) allowed.length = 0;
  const panel = h('section', { class: 'panel actions-panel' }, h('h2', {}, t('appeal.actions')));
  if (!allowed.length) {
    panel.append(h('p', { class: 'hint' }, t('appeal.no_actions')));
    return panel;
  }
  const area = h('div', { class: 'action-form' });
  const buttons = h('div', { class: 'action-buttons', role: 'group', 'aria-label': t('appeal.actions') }, allowed.map((k) =>
    h('button', { type: 'button', 'data-action': k, onclick: async (ev) => {
      for (const b of buttons.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === ev.currentTarget));
      area.replaceChildren(await actionForm(k, a, pending, reload));
      const first = area.querySelector('input, select, textarea, button[type=submit]');
      if (first) first.focus();
    } }, t(`action.${k}`))));
  panel.append(buttons, area);
  return panel;
}

/* The assignment picker: the executors of the appeal's body and below, by name, with their
 * open appeals and of them overdue (GET /api/v1/executors). */
async function executorPicker(a) {
  let list = [];
  try {
    list = (await get(`/api/v1/executors?body=${encodeURIComponent(a.body)}`)).items || [];
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
  const opts = list.map((x) => [x.login, `${person(x)} — ${t('act.workload', { open: num(x.open), overdue: num(x.overdue) })}`]);
  return field(t('act.executor'), select([['', t('form.choose')], ...opts], '', { name: 'executor' }), list.length ? t('act.executor.hint') : t('act.executor.none'));
}

async function actionForm(action, a, pending, reload) {
  const refs = refsNow();
  const fields = {};
  const parts = [];
  const put = (k, f) => { fields[k] = f; parts.push(f.wrap); };
  if (action === 'assign') put('executor', await executorPicker(a));
  if (action === 'forward') {
    put('body', field(t('act.body'), select([['', t('form.choose')], ...refs.bodies.filter((b) => b.id !== a.body).map((b) => [b.id, nameOf(b.name)])], '', { name: 'body' })));
    put('reason', field(t('act.reason'), h('textarea', { name: 'reason', rows: 2 })));
    put('part_text', field(t('act.part_text'), h('textarea', { name: 'part_text', rows: 2 }), t('act.part_text.hint')));
  }
  if (action === 'extend' || action === 'request_extension') {
    const proposed = pending && action === 'extend' ? fmtDate((pending.data || {}).proposed_due_on) : '';
    put('due_on', field(t('act.due_on'), h('input', { name: 'due_on', placeholder: t('date.placeholder'), value: proposed }), t('act.due_on.hint', { max: fmtDate(a.max_due_on) })));
    put('reason', field(t('act.reason'), h('textarea', { name: 'reason', rows: 2 }, pending && action === 'extend' ? (pending.data || {}).reason || '' : '')));
  }
  if (action === 'refuse_extension') put('reason', field(t('act.refuse_reason'), h('textarea', { name: 'reason', rows: 2 })));
  if (action === 'answer') {
    put('decision', field(t('act.decision'), select([['', t('form.choose')], ...['satisfied', 'partly_satisfied', 'refused', 'explained'].map((d) => [d, word('decision', d)])], '', { name: 'decision' })));
    put('text', field(t('act.text'), h('textarea', { name: 'text', rows: 6 })));
    put('grounds', field(t('act.grounds'), h('textarea', { name: 'grounds', rows: 2 }), t('act.grounds.hint')));
  }
  if (action === 'return') put('reason', field(t('act.return_reason'), h('textarea', { name: 'reason', rows: 3 })));
  if (action === 'return_answer') put('reason', field(t('act.return_answer_reason'), h('textarea', { name: 'reason', rows: 3 })));
  if (action === 'terminate') put('reason', field(t('act.terminate_reason'), select([['', t('form.choose')], ['repeated_no_new_arguments', t('terminate.repeated_no_new_arguments')], ['withdrawn', t('terminate.withdrawn')]], '', { name: 'reason' })));
  if (action === 'control') put('due_on', field(t('act.control_on'), h('input', { name: 'due_on', placeholder: t('date.placeholder') }), t('act.control_on.hint')));
  const required = { assign: ['executor'], forward: ['body', 'reason'], extend: ['due_on', 'reason'], request_extension: ['due_on', 'reason'], refuse_extension: ['reason'], answer: ['decision', 'text', 'grounds'], return: ['reason'], return_answer: ['reason'], terminate: ['reason'] }[action] || [];
  const msg = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { class: `act act-${action}`, novalidate: true }, h('h3', {}, t(`action.${action}`)), ...parts, msg,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('act.confirm', { action: t(`action.${action}`) }))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let ok = true;
    const body = {};
    for (const [k, f] of Object.entries(fields)) {
      let v = f.input.value.trim();
      let e = required.includes(k) && !v ? t('err.required') : '';
      if (!e && v && k === 'due_on') {
        const iso = parseDate(v);
        if (!iso) e = t('err.date');
        v = iso;
      }
      f.setError(e);
      if (e) ok = false;
      if (v) body[k] = v;
    }
    if (!ok) {
      const bad = form.querySelector('[aria-invalid=true]');
      if (bad) bad.focus();
      return;
    }
    try {
      await post(`/api/v1/appeals/${enc(a.number)}/${action}`, body);
      await reload(t('act.done', { action: t(`action.${action}`) }));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const f = e.field && fields[e.field];
      const text = errText(e);
      if (f) { f.setError(text); f.input.focus(); } else msg.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, text));
    }
  });
  return form;
}

/* ==== Registrar: fast entry of a phone call ==== */

export async function phone(main, _p, ctx) {
  const f = await appealForm('phone');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('phone.submit'));
  f.form.append(h('div', { class: 'actions' }, submit));
  const result = h('div', { 'aria-live': 'polite' });
  f.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = f.collect();
    if (!body) return;
    submit.disabled = true;
    try {
      const r = await post('/api/v1/appeals', body);
      result.replaceChildren(h('section', { class: 'receipt phone-receipt', role: 'status' },
        h('h2', {}, t('phone.registered')),
        h('dl', {},
          h('dt', {}, t('receipt.number')), h('dd', { class: 'big mono receipt-number' }, r.number),
          h('dt', {}, t('receipt.code')), h('dd', { class: 'big mono receipt-code' }, r.access_code),
          h('dt', {}, t('receipt.due_on')), h('dd', {}, fmtDate(r.due_on)),
          h('dt', {}, t('receipt.body')), h('dd', {}, bodyName(r.body && r.body.id))),
        h('p', { class: 'hint' }, t('phone.tell')),
        h('div', { class: 'actions' },
          h('a', { href: `/staff/appeal/${enc(r.number)}`, class: 'button' }, t('phone.open')),
          h('button', { type: 'button', class: 'primary', onclick: () => ctx.navigate('/staff/phone', true) }, t('phone.next')))));
      f.form.hidden = true;
      result.querySelector('h2').setAttribute('tabindex', '-1');
      result.querySelector('h2').focus();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      f.showServerError(e);
    } finally {
      submit.disabled = false;
    }
  });
  add(main, h('h1', {}, t('phone.title')), h('p', { class: 'lead' }, t('phone.lead')), f.form, result);
}
