/* The citizen portal, no account: file an appeal and get the receipt, track it with the number
 * and access code, rate the answer, complain, book a personal reception. */
import { h, add, field, select } from '../dom.js';
import { t, tv, fmtDate, fmtInstant, nameOf } from '../i18n.js';
import { post, get, tryGet, enc, ApiError } from '../api.js';
import { loadRefs, bodyName, todayKz } from '../ref.js';
import { appealForm } from './appealform.js';

/* The last receipt of this page's life: lets "track" and "complain" start filled in. The code
 * is never written to storage or to the URL. */
let last = null;

export async function home(main) {
  add(main, 
    h('h1', {}, t('home.title')),
    h('p', { class: 'lead' }, t('home.lead')),
    h('div', { class: 'cards' },
      card('/file', 'home.file', 'home.file.text'),
      card('/track', 'home.track', 'home.track.text'),
      card('/complaint', 'home.complaint', 'home.complaint.text'),
      card('/reception', 'home.reception', 'home.reception.text')),
  );
}

function card(href, title, text) {
  return h('a', { class: 'card', href }, h('strong', {}, t(title)), h('span', {}, t(text)));
}

export async function file(main, _p, ctx) {
  const f = await appealForm('portal');
  const submit = h('button', { type: 'submit', class: 'primary' }, t('form.submit'));
  f.form.append(h('div', { class: 'actions' }, submit));
  f.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = f.collect();
    if (!body) return;
    submit.disabled = true;
    try {
      const r = await post('/api/v1/appeals', body);
      last = { ...r, files: f.files() };
      showReceipt(main, last, ctx);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      f.showServerError(e);
    } finally {
      submit.disabled = false;
    }
  });
  add(main, h('h1', {}, t('file.title')), h('p', { class: 'lead' }, t('file.lead')), f.form);
}

function showReceipt(main, r, ctx) {
  const row = (k, v, cls) => [h('dt', {}, t(k)), h('dd', { class: cls || null }, v)];
  main.replaceChildren(
    h('h1', { tabindex: '-1' }, t('receipt.title')),
    h('p', { class: 'alert ok', role: 'status' }, t('receipt.saved')),
    h('section', { class: 'receipt', 'aria-label': t('receipt.title') },
      h('h2', {}, t('receipt.heading')),
      h('dl', {},
        row('receipt.number', r.number, 'big mono receipt-number'),
        row('receipt.code', r.access_code, 'big mono receipt-code'),
        row('receipt.received_at', fmtInstant(r.received_at)),
        row('receipt.registered_on', fmtDate(r.registered_on)),
        row('receipt.due_on', fmtDate(r.due_on)),
        row('receipt.body', bodyName(r.body && r.body.id) || (r.body && r.body.name)),
        row('receipt.status', tv('status', r.status)),
        r.registrar ? row('receipt.registrar', `${r.registrar.name}, ${r.registrar.position}`) : null,
        r.repeat_of ? row('receipt.repeat_of', r.repeat_of) : null,
        r.files && r.files.length ? row('receipt.files', r.files.join(', ')) : null),
      h('p', { class: 'hint' }, t('receipt.keep')),
      r.files && r.files.length ? h('p', { class: 'hint' }, t('receipt.files_note')) : null),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, t('receipt.print')),
      h('button', { type: 'button', onclick: () => ctx.navigate('/track') }, t('receipt.track'))),
  );
  main.querySelector('h1').focus();
}

/* ==== Tracking ==== */

export async function track(main, _p, ctx) {
  const num = field(t('track.number'), h('input', { name: 'number', autocomplete: 'off', value: (last && last.number) || '' }), t('track.number.hint'));
  const code = field(t('track.code'), h('input', { name: 'code', autocomplete: 'off', value: (last && last.access_code) || '' }));
  const out = h('div', { class: 'track-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', novalidate: true }, h('div', { class: 'row' }, num.wrap, code.wrap), h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('track.submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    num.setError(num.input.value.trim() ? '' : t('err.required'));
    code.setError(code.input.value.trim() ? '' : t('err.required'));
    if (!num.input.value.trim() || !code.input.value.trim()) return;
    await show();
  });
  async function show() {
    const n = num.input.value.trim();
    const c = code.input.value.trim();
    out.replaceChildren();
    try {
      const a = await get(`/api/v1/track/${enc(n)}?code=${encodeURIComponent(c)}`);
      out.append(trackView(a, c, ctx, show));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      out.append(h('p', { class: 'alert error', role: 'alert' }, e.status === 404 ? t('track.not_found') : e.message));
    }
  }
  add(main, h('h1', {}, t('track.title')), h('p', { class: 'lead' }, t('track.lead')), form, out);
  if (last && ctx.isCurrent()) await show();
}

function trackView(a, code, ctx, reload) {
  const today = todayKz();
  const open = ['registered', 'assigned', 'in_work'].includes(a.status);
  const overdue = open && a.due_on < today;
  const row = (k, v, cls) => [h('dt', {}, t(k)), h('dd', { class: cls || null }, v)];
  const box = h('section', { class: 'track-card' },
    h('h2', {}, `${t('track.appeal')} ${a.number}`),
    h('dl', {},
      row('track.status', tv('status', a.status), `status status-${a.status}`),
      row('track.kind', tv('kind', a.kind)),
      row('track.body', bodyName(a.body)),
      row('receipt.received_at', fmtInstant(a.received_at)),
      row('receipt.registered_on', fmtDate(a.registered_on)),
      row('receipt.due_on', fmtDate(a.due_on), overdue ? 'due overdue' : null)),
    overdue ? h('p', { class: 'alert warn' }, t('track.overdue')) : null);
  if (a.answer) {
    box.append(h('section', { class: 'answer' },
      h('h3', {}, t('track.answer')),
      h('p', {}, h('strong', {}, `${t('track.decision')}: `), tv('decision', a.answer.decision), a.answer.on ? ` · ${fmtDate(a.answer.on)}` : ''),
      h('p', { class: 'answer-text' }, a.answer.text || ''),
      a.answer.grounds ? h('p', { class: 'hint' }, `${t('track.grounds')}: ${a.answer.grounds}`) : null));
    if (a.rating) box.append(h('p', { class: 'rated' }, t('track.rated', { n: a.rating })));
    else box.append(ratingForm(a.number, code, reload));
  }
  if (a.answer || overdue) {
    box.append(h('p', { class: 'actions' }, h('button', {
      type: 'button',
      onclick: () => {
        last = { ...(last || {}), complaint: { number: a.number, code, about: a.answer ? 'answer' : 'no_answer' } };
        ctx.navigate('/complaint');
      },
    }, t(a.answer ? 'track.complain_answer' : 'track.complain_no_answer'))));
  }
  return box;
}

function ratingForm(number, code, reload) {
  const name = 'rating';
  const stars = [1, 2, 3, 4, 5].map((n) => {
    const id = `rate-${n}`;
    return h('span', { class: 'star' }, h('input', { type: 'radio', name, id, value: n }), h('label', { for: id }, `${n} — ${t(`rating.${n}`)}`));
  });
  const comment = field(t('rating.comment'), h('textarea', { name: 'comment', rows: 3, maxlength: 2000 }));
  const err = h('p', { class: 'field-error', 'aria-live': 'polite' });
  const form = h('form', { class: 'rating-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('rating.legend')), h('div', { class: 'stars' }, stars), err),
    comment.wrap,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('rating.submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = form.querySelector('input[name=rating]:checked');
    if (!v) {
      err.textContent = t('rating.choose');
      return;
    }
    try {
      await post(`/api/v1/track/${enc(number)}/rating`, { code, rating: Number(v.value), comment: comment.input.value.trim() || undefined });
      await reload();
    } catch (e) {
      err.textContent = e.message;
    }
  });
  return form;
}

/* ==== Complaint ==== */

export async function complaint(main, _p, ctx) {
  const pre = (last && last.complaint) || null;
  const f = await appealForm('complaint', pre);
  const submit = h('button', { type: 'submit', class: 'primary' }, t('complaint.submit'));
  f.form.append(h('div', { class: 'actions' }, submit));
  f.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = f.collect();
    if (!body) return;
    submit.disabled = true;
    try {
      const r = await post('/api/v1/appeals', body);
      last = { ...r, files: f.files() };
      showReceipt(main, last, ctx);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      f.showServerError(e);
    } finally {
      submit.disabled = false;
    }
  });
  add(main, h('h1', {}, t('complaint.title')), h('p', { class: 'lead' }, t('complaint.lead')), f.form);
}

/* ==== Personal reception ==== */

function minutes(m) {
  const n = Number(m);
  return Number.isFinite(n) ? `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}` : String(m || '');
}

export async function reception(main) {
  add(main, h('h1', {}, t('reception.title')), h('p', { class: 'lead' }, t('reception.lead')));
  const refs = await loadRefs();
  const probe = await tryGet('/api/v1/receptions');
  if (!probe) {
    add(main, h('p', { class: 'alert info' }, t('reception.unavailable')));
    return;
  }
  const bodySel = field(t('reception.body'), select([['', t('form.choose')], ...refs.bodies.map((b) => [b.id, nameOf(b.name)])], '', { name: 'body' }));
  const slotsBox = h('div', { class: 'slots', 'aria-live': 'polite' });
  add(main, bodySel.wrap, slotsBox);
  const list = (x) => (Array.isArray(x) ? x : x && (x.slots || x.items || x.schedules || x.receptions)) || [];
  bodySel.input.addEventListener('change', async () => {
    slotsBox.replaceChildren();
    if (!bodySel.input.value) return;
    const data = await tryGet(`/api/v1/receptions/slots?body=${encodeURIComponent(bodySel.input.value)}`) || await tryGet(`/api/v1/receptions?body=${encodeURIComponent(bodySel.input.value)}`);
    const slots = list(data).filter((s) => !s.booked);
    if (!slots.length) {
      slotsBox.append(h('p', {}, t('reception.no_slots')));
      return;
    }
    const name = field(t('form.full_name'), h('input', { name: 'citizen_name', autocomplete: 'name' }));
    const phone = field(t('form.phone'), h('input', { name: 'citizen_phone', type: 'tel', autocomplete: 'tel' }));
    const topic = field(t('reception.topic'), h('textarea', { name: 'topic', rows: 3 }));
    const slotSel = field(t('reception.slot'), select(slots.map((s, i) => [String(i), `${fmtDate(s.day || s.date)} ${minutes(s.start_min ?? s.start)} · ${s.official_name || s.official || ''}`]), '0', { name: 'slot' }));
    const msg = h('div', { 'aria-live': 'polite' });
    const form = h('form', { novalidate: true }, slotSel.wrap, name.wrap, phone.wrap, topic.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('reception.book'))), msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      name.setError(name.input.value.trim() ? '' : t('err.required'));
      if (!name.input.value.trim()) return;
      const s = slots[Number(slotSel.input.value)];
      try {
        const r = await post('/api/v1/receptions/bookings', {
          schedule: s.schedule_id ?? s.schedule ?? s.id, day: s.day || s.date, start_min: s.start_min ?? s.start,
          citizen_name: name.input.value.trim(), citizen_phone: phone.input.value.trim() || undefined, topic: topic.input.value.trim() || undefined,
        });
        msg.replaceChildren(h('p', { class: 'alert ok', role: 'status' }, t('reception.booked', { code: (r && (r.code || r.access_code)) || '' })));
      } catch (e) {
        msg.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, e.message));
      }
    });
    slotsBox.append(form);
  });
}
