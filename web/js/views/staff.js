/* The staff workspace: sign-in, the inbox (my body / assigned to me) with due dates coloured by
 * urgency, filters and keyset paging, the appeal page with its history and the actions the
 * role allows, and the registrar's fast entry for phone calls. */
import { h, add, field, select, clear } from '../dom.js';
import { t, tv, fmtDate, fmtInstant, nameOf, parseDate } from '../i18n.js';
import { get, post, enc, login as apiLogin, user, ApiError } from '../api.js';
import { loadRefs, refsNow, bodyName, categoryName, urgency, workingDaysTo, loadCalendar, calendarYears } from '../ref.js';
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
      msg.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, e.status === 401 ? t('login.bad') : e.status === 429 ? t('login.throttled') : e.message));
      p.input.value = '';
      p.input.focus();
    }
  });
  add(main, h('h1', {}, t('login.title')), form);
}

/* ==== Inbox ==== */

const inboxState = { scope: 'body', filters: {}, cursors: [], cursor: null };

function dueCell(due, status) {
  const open = ['registered', 'assigned', 'in_work'].includes(status);
  if (!open) return h('td', { class: 'due' }, fmtDate(due));
  const u = urgency(due);
  const n = workingDaysTo(due);
  const label = u === 'overdue' ? t('due.overdue', { n: -n }) : n === 0 ? t('due.today') : t('due.in', { n });
  return h('td', { class: `due due-${u}` }, h('span', { class: 'due-date' }, fmtDate(due)), h('span', { class: 'due-label' }, label));
}

export async function inbox(main, _p, ctx) {
  const me = user();
  const refs = await loadRefs();
  await loadCalendar(calendarYears());
  const st = inboxState;
  const scopeTabs = h('div', { class: 'tabs', role: 'group', 'aria-label': t('inbox.scope') },
    ...['body', 'me'].map((s) => h('button', { type: 'button', class: st.scope === s ? 'tab active' : 'tab', 'aria-pressed': String(st.scope === s), onclick: () => { st.scope = s; st.cursors = []; st.cursor = null; ctx.navigate('/staff', true); } }, t(`inbox.scope.${s}`))));
  const fStatus = field(t('inbox.f.status'), select([['', t('inbox.all')], ...['registered', 'assigned', 'in_work', 'answered', 'closed', 'terminated'].map((s) => [s, tv('status', s)])], st.filters.status || '', { name: 'status' }));
  const fKind = field(t('inbox.f.kind'), select([['', t('inbox.all')], ...['statement', 'complaint', 'proposal', 'request', 'response', 'report'].map((s) => [s, tv('kind', s)])], st.filters.kind || '', { name: 'kind' }));
  const fCat = field(t('inbox.f.category'), select([['', t('inbox.all')], ...refs.categories.map((c) => [c.code, nameOf(c.name)]).sort((a, b) => a[1].localeCompare(b[1]))], st.filters.category || '', { name: 'category' }));
  const fChan = field(t('inbox.f.channel'), select([['', t('inbox.all')], ...['portal', 'phone', 'reception', 'mail', 'email', 'open311'].map((s) => [s, tv('channel', s)])], st.filters.channel || '', { name: 'channel' }));
  const fDue = field(t('inbox.f.due_before'), h('input', { name: 'due_before', placeholder: t('date.placeholder'), value: st.filters.due_before ? fmtDate(st.filters.due_before) : '' }));
  const fOver = h('input', { type: 'checkbox', id: 'f-overdue', name: 'overdue', checked: !!st.filters.overdue });
  const fSearch = field(t('inbox.f.number'), h('input', { name: 'number', type: 'search', autocomplete: 'off' }), t('inbox.f.number.hint'));
  const filters = h('form', { class: 'filters', novalidate: true },
    fStatus.wrap, fKind.wrap, fCat.wrap, fChan.wrap, fDue.wrap,
    h('div', { class: 'field check' }, fOver, h('label', { for: 'f-overdue' }, t('inbox.f.overdue'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('inbox.apply')), h('button', { type: 'reset' }, t('inbox.reset'))));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const due = fDue.input.value.trim();
    const iso = due ? parseDate(due) : '';
    fDue.setError(due && !iso ? t('err.date') : '');
    if (due && !iso) return;
    st.filters = { status: fStatus.input.value, kind: fKind.input.value, category: fCat.input.value, channel: fChan.input.value, due_before: iso, overdue: fOver.checked };
    st.cursors = [];
    st.cursor = null;
    ctx.navigate('/staff', true);
  });
  filters.addEventListener('reset', () => { st.filters = {}; st.cursors = []; st.cursor = null; setTimeout(() => ctx.navigate('/staff', true)); });
  const search = h('form', { class: 'search', role: 'search', novalidate: true }, fSearch.wrap, h('button', { type: 'submit' }, t('inbox.open')));
  search.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = fSearch.input.value.trim();
    if (n) ctx.navigate(`/staff/appeal/${enc(n)}`);
  });

  const q = new URLSearchParams({ limit: '25' });
  for (const [k, v] of Object.entries(st.filters)) if (v) q.set(k, v === true ? '1' : v);
  if (st.scope === 'me') q.set('executor', String(me.id));
  if (st.cursor) q.set('after', st.cursor);
  const page = await get(`/api/v1/appeals?${q}`);
  if (!ctx.isCurrent()) return;

  const table = h('table', { class: 'inbox' },
    h('caption', {}, t(`inbox.caption.${st.scope}`, { body: bodyName(me.body) })),
    h('thead', {}, h('tr', {}, ...['number', 'received', 'kind', 'category', 'body', 'status', 'due'].map((c) => h('th', { scope: 'col' }, t(`inbox.col.${c}`))))),
    h('tbody', {}, page.items.length ? page.items.map((a) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `/staff/appeal/${enc(a.number)}` }, a.number)),
      h('td', {}, fmtInstant(a.received_at)),
      h('td', {}, tv('kind', a.kind)),
      h('td', {}, categoryName(a.category)),
      h('td', {}, bodyName(a.body)),
      h('td', {}, h('span', { class: `status status-${a.status}` }, tv('status', a.status))),
      dueCell(a.due_on, a.status))) : h('tr', {}, h('td', { colspan: 7 }, t('inbox.empty')))));
  const pager = h('nav', { class: 'pager', 'aria-label': t('inbox.paging') },
    h('button', { type: 'button', disabled: !st.cursors.length, onclick: () => { st.cursor = st.cursors.pop() || null; ctx.navigate('/staff', true); } }, t('inbox.prev')),
    h('span', {}, t('inbox.page', { n: st.cursors.length + 1 })),
    h('button', { type: 'button', class: 'next', disabled: !page.next, onclick: () => { st.cursors.push(st.cursor); st.cursor = page.next; ctx.navigate('/staff', true); } }, t('inbox.next')));
  const legend = h('p', { class: 'legend' }, h('span', { class: 'due-overdue chip' }, t('due.legend.overdue')), h('span', { class: 'due-soon chip' }, t('due.legend.soon')), h('span', { class: 'due-later chip' }, t('due.legend.later')));
  add(main, 
    h('h1', {}, t('inbox.title')),
    h('div', { class: 'inbox-tools' }, scopeTabs, search),
    h('details', { class: 'filters-box', open: Object.values(st.filters).some(Boolean) }, h('summary', {}, t('inbox.filters')), filters),
    legend,
    h('div', { class: 'table-wrap' }, table),
    pager,
  );
}

/* ==== The appeal page ==== */

/* action -> roles that may do it (the permission matrix, src/domain/perm.c) and states it applies to
 * (the transition table, src/domain/appeal.c). The server decides; this only hides what would fail. */
const ACTIONS = {
  assign: { roles: ['head'], from: ['registered', 'assigned', 'in_work'] },
  start: { roles: ['executor', 'head'], from: ['assigned'] },
  answer: { roles: ['executor', 'head'], from: ['assigned', 'in_work'] },
  forward: { roles: ['registrar', 'head', 'supervisor'], from: ['registered', 'assigned', 'in_work'] },
  extend: { roles: ['head'], from: ['registered', 'assigned', 'in_work'] },
  return: { roles: ['supervisor'], from: ['answered'] },
  close: { roles: ['head', 'supervisor'], from: ['answered'] },
  terminate: { roles: ['head', 'supervisor'], from: ['registered', 'assigned', 'in_work'] },
  control: { roles: ['supervisor'], from: ['registered', 'assigned', 'in_work', 'answered'] },
};

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
    if (e instanceof ApiError && e.status === 404) {
      add(main, h('h1', {}, number), h('p', { class: 'alert error', role: 'alert' }, t('appeal.not_found')), h('p', {}, h('a', { href: '/staff' }, t('appeal.back'))));
      return;
    }
    throw e;
  }
  const draw = (flash) => {
    const { a, hist } = data;
    const ap = a.applicant || {};
    const row = (k, v, cls) => (v === null || v === undefined || v === '' ? null : [h('dt', {}, t(k)), h('dd', { class: cls || null }, v)]);
    const open = ['registered', 'assigned', 'in_work'].includes(a.status);
    const u = open ? urgency(a.due_on) : null;
    add(clear(main), 
      h('p', { class: 'crumbs' }, h('a', { href: '/staff' }, `← ${t('appeal.back')}`)),
      h('h1', {}, `${t('appeal.title')} ${a.number}`),
      flash ? h('p', { class: 'alert ok', role: 'status' }, flash) : null,
      h('div', { class: 'appeal-grid' },
        h('section', { class: 'panel' },
          h('h2', {}, t('appeal.summary')),
          h('dl', {},
            row('track.status', tv('status', a.status), `status status-${a.status}`),
            row('track.kind', tv('kind', a.kind)),
            row('form.channel', tv('channel', a.channel)),
            row('inbox.f.category', categoryName(a.category)),
            row('form.district', a.district ? nameOf((refsNow().distByCode.get(a.district) || {}).name) || a.district : null),
            row('track.body', bodyName(a.body)),
            row('appeal.receiving_body', a.receiving_body !== a.body ? bodyName(a.receiving_body) : null),
            row('receipt.received_at', fmtInstant(a.received_at)),
            row('receipt.registered_on', fmtDate(a.registered_on)),
            row('receipt.due_on', open ? `${fmtDate(a.due_on)} · ${u === 'overdue' ? t('due.legend.overdue') : u === 'soon' ? t('due.legend.soon') : t('due.legend.later')}` : fmtDate(a.due_on), open ? `due due-${u}` : null),
            row('appeal.forward_by', a.forward_by && open ? fmtDate(a.forward_by) : null),
            row('appeal.max_due_on', a.max_due_on && open ? fmtDate(a.max_due_on) : null),
            row('appeal.control_on', a.control_on ? fmtDate(a.control_on) : null),
            row('appeal.executor', a.executor ? `#${a.executor}` : null),
            row('appeal.extension', a.extension ? `${fmtDate(a.extension.on)}: ${a.extension.reason || ''}` : null),
            row('appeal.repeat_of', a.repeat_of),
            row('appeal.complaint_of', a.complaint_of),
            row('appeal.part_of', a.part_of),
            row('form.address', a.address))),
        h('section', { class: 'panel' },
          h('h2', {}, t('appeal.applicant')),
          h('dl', {},
            row('form.applicant_type', tv('applicant', ap.type)),
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
        h('p', {}, h('strong', {}, `${t('track.decision')}: `), tv('decision', a.answer.decision), ` · ${fmtDate(a.answer.on)}`),
        h('p', { class: 'answer-text' }, a.answer.text || ''),
        a.answer.grounds ? h('p', { class: 'hint' }, `${t('track.grounds')}: ${a.answer.grounds}`) : null,
        a.rating ? h('p', {}, t('track.rated', { n: a.rating.value }), a.rating.comment ? ` — ${a.rating.comment}` : '') : null) : null,
      actionsPanel(a, me, async (msg) => { data = await load(); draw(msg); }),
      h('section', { class: 'panel' }, h('h2', {}, t('appeal.history')), timeline(hist.events || [])),
    );
  };
  draw();
}


function evValue(k, v) {
  if (/^(from_status|status|to_status)$/.test(k)) return tv('status', v);
  if (k === 'decision') return tv('decision', v);
  if (k === 'kind') return tv('kind', v);
  if (k === 'channel') return tv('channel', v);
  if (k === 'category') return categoryName(v);
  if (/body$/.test(k)) return bodyName(v);
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
  if (/_on$/.test(k)) return fmtDate(v);
  return String(v);
}

function timeline(events) {
  if (!events.length) return h('p', {}, t('appeal.no_history'));
  return h('ol', { class: 'timeline' }, events.map((e) => {
    const d = e.data || {};
    const details = Object.entries(d).filter(([, v]) => v !== null && typeof v !== 'object').map(([k, v]) => h('li', {}, `${t(`ev.${k}`) !== `ev.${k}` ? t(`ev.${k}`) : k}: ${evValue(k, v)}`));
    const action = String(e.action || '').replace(/^appeal\./, '');
    return h('li', { class: `ev ev-${action}` },
      h('div', { class: 'ev-head' }, h('time', { datetime: e.at || '' }, fmtInstant(e.at)), h('strong', {}, tv('action', action)), e.actor ? h('span', { class: 'actor' }, e.actor) : null),
      details.length ? h('ul', { class: 'ev-data' }, details) : null);
  }));
}

function actionsPanel(a, me, reload) {
  const allowed = Object.entries(ACTIONS).filter(([, x]) => x.roles.includes(me.role) && x.from.includes(a.status)).map(([k]) => k);
  if (me.role === 'executor' && a.executor !== me.id) allowed.length = 0;
  const panel = h('section', { class: 'panel actions-panel' }, h('h2', {}, t('appeal.actions')));
  if (!allowed.length) {
    panel.append(h('p', { class: 'hint' }, t('appeal.no_actions')));
    return panel;
  }
  const area = h('div', { class: 'action-form' });
  const buttons = h('div', { class: 'action-buttons', role: 'group', 'aria-label': t('appeal.actions') }, allowed.map((k) =>
    h('button', { type: 'button', 'data-action': k, onclick: (ev) => {
      for (const b of buttons.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === ev.currentTarget));
      area.replaceChildren(actionForm(k, a, reload));
      const first = area.querySelector('input, select, textarea, button[type=submit]');
      if (first) first.focus();
    } }, t(`action.${k}`))));
  panel.append(buttons, area);
  return panel;
}

function actionForm(action, a, reload) {
  const refs = refsNow();
  const fields = {};
  const parts = [];
  const add = (k, f) => { fields[k] = f; parts.push(f.wrap); };
  if (action === 'assign') add('executor', field(t('act.executor'), h('input', { name: 'executor', autocomplete: 'off' }), t('act.executor.hint')));
  if (action === 'forward') {
    add('body', field(t('act.body'), select([['', t('form.choose')], ...refs.bodies.filter((b) => b.id !== a.body).map((b) => [b.id, nameOf(b.name)])], '', { name: 'body' })));
    add('reason', field(t('act.reason'), h('textarea', { name: 'reason', rows: 2 })));
    add('part_text', field(t('act.part_text'), h('textarea', { name: 'part_text', rows: 2 }), t('act.part_text.hint')));
  }
  if (action === 'extend') {
    add('due_on', field(t('act.due_on'), h('input', { name: 'due_on', placeholder: t('date.placeholder') }), t('act.due_on.hint', { max: fmtDate(a.max_due_on) })));
    add('reason', field(t('act.reason'), h('textarea', { name: 'reason', rows: 2 })));
  }
  if (action === 'answer') {
    add('decision', field(t('act.decision'), select([['', t('form.choose')], ...['satisfied', 'partly_satisfied', 'refused', 'explained'].map((d) => [d, tv('decision', d)])], '', { name: 'decision' })));
    add('text', field(t('act.text'), h('textarea', { name: 'text', rows: 6 })));
    add('grounds', field(t('act.grounds'), h('textarea', { name: 'grounds', rows: 2 }), t('act.grounds.hint')));
  }
  if (action === 'return') add('reason', field(t('act.return_reason'), h('textarea', { name: 'reason', rows: 3 })));
  if (action === 'terminate') add('reason', field(t('act.terminate_reason'), select([['', t('form.choose')], ['repeated_no_new_arguments', t('terminate.repeated_no_new_arguments')], ['withdrawn', t('terminate.withdrawn')]], '', { name: 'reason' })));
  if (action === 'control') add('due_on', field(t('act.control_on'), h('input', { name: 'due_on', placeholder: t('date.placeholder') }), t('act.control_on.hint')));
  const required = { assign: ['executor'], forward: ['body', 'reason'], extend: ['due_on', 'reason'], answer: ['decision', 'text'], return: ['reason'], terminate: ['reason'] }[action] || [];
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
      const text = t(`api.${e.code}`) !== `api.${e.code}` ? t(`api.${e.code}`) : e.message;
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
