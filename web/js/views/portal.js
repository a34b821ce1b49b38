/* The citizen portal, no account: file an appeal and get the receipt, track it with the number
 * and access code, rate the answer, complain, book a personal reception. */
import { h, add, field } from '../dom.js';
import { t, tv, fmtDate, fmtInstant, nameOf } from '../i18n.js';
import { post, get, enc, ApiError } from '../api.js';
import { loadRefs, bodyName, categoryName, districtName, todayKz } from '../ref.js';
import { appealForm } from './appealform.js';
import { errText, inLang, person, word } from '../words.js';

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

/* The filing page of the portal and of a complaint: the same form, one submit path. */
async function filingPage(main, ctx, kind, prefill, prefix, submitKey) {
  const f = await appealForm(kind, prefill);
  const submit = h('button', { type: 'submit', class: 'primary' }, t(submitKey));
  f.form.append(h('div', { class: 'actions' }, submit));
  f.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = f.collect();
    if (!body) return;
    submit.disabled = true;
    try {
      const r = await post('/api/v1/appeals', body);
      /* a complaint's topic and place are its appeal's: shown on the receipt as filed */
      const from = prefill && prefill.checked ? { category: prefill.category, district: prefill.district } : {};
      last = { ...r, files: f.files(), filed: { ...from, ...body } };
      showReceipt(main, last, ctx);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      f.showServerError(e);
    } finally {
      submit.disabled = false;
    }
  });
  add(main, h('h1', {}, t(prefix + '.title')), h('p', { class: 'lead' }, t(prefix + '.lead')), f.form);
}

export async function file(main, _p, ctx) {
  await filingPage(main, ctx, 'portal', undefined, 'file', 'form.submit');
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
        r.number_ascii ? row('receipt.number_ascii', r.number_ascii, 'mono') : null,
        row('receipt.code', r.access_code, 'big mono receipt-code'),
        row('receipt.received_at', fmtInstant(r.received_at)),
        row('receipt.registered_on', fmtDate(r.registered_on)),
        row('receipt.due_on', fmtDate(r.due_on)),
        r.addressed_to ? row('receipt.addressed_to', bodyName(r.addressed_to), 'receipt-addressed') : null,
        row('receipt.body', bodyName(r.body && r.body.id) || (r.body && r.body.name)),
        row('receipt.status', tv('status', r.status)),
        r.registrar ? row('receipt.registrar', person(r.registrar)) : null,
        r.repeat_of ? row('receipt.repeat_of', r.repeat_of) : null,
        r.files && r.files.length ? row('receipt.files', r.files.join(', ')) : null),
      h('p', { class: 'hint' }, t('receipt.keep')),
      r.files && r.files.length ? h('p', { class: 'hint' }, t('receipt.files_note')) : null,
      filedSection(r.filed),
      h('section', { class: 'next-steps' },
        h('h3', {}, t('receipt.next')),
        h('ol', {},
          h('li', {}, t('receipt.next.body', { body: bodyName(r.body && r.body.id) || (r.body && r.body.name) || '' })),
          h('li', {}, t('receipt.next.due', { due: fmtDate(r.due_on) })),
          h('li', {}, t('receipt.next.notice')),
          h('li', {}, t('receipt.next.track')),
          h('li', {}, t('receipt.next.complain'))))),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, t('receipt.print')),
      h('button', { type: 'button', onclick: () => ctx.navigate('/track') }, t('receipt.track'))),
  );
  main.querySelector('h1').focus();
}

/* What was filed, in the applicant's own terms: kind, topic, place, the start of the text. */
function filedSection(b) {
  if (!b) return null;
  const row = (k, v) => (v ? [h('dt', {}, t(k)), h('dd', {}, v)] : null);
  const text = String(b.text || '');
  return h('section', { class: 'filed' },
    h('h3', {}, t('receipt.filed')),
    h('dl', {},
      row('track.kind', word('kind', b.kind)),
      row('receipt.category', categoryName(b.category)),
      row('form.district', b.district ? districtName(b.district) : null),
      row('form.address', b.address),
      row('receipt.text', text.length > 300 ? `${text.slice(0, 300)}…` : text),
      row('receipt.complaint_of', b.complaint_of)));
}

/* The appeal's course in plain words, from what tracking tells (issue 18). */
function courseOf(a) {
  const steps = [];
  const open = ['registered', 'assigned', 'in_work'].includes(a.status);
  steps.push([fmtInstant(a.received_at), t('course.received')]);
  steps.push([fmtDate(a.registered_on), t('course.registered', { body: bodyName(a.body) })]);
  if (a.status === 'assigned') steps.push(['', t('course.assigned')]);
  if (a.status === 'in_work') steps.push(['', t('course.in_work')]);
  if (a.answer) steps.push([fmtDate(a.answer.on), t('course.answered', { decision: word('decision', a.answer.decision) })]);
  if (a.status === 'closed') steps.push(['', t('course.closed')]);
  if (a.status === 'terminated' || a.status === 'not_considered') steps.push(['', t(`course.${a.status}`)]);
  if (open) steps.push([fmtDate(a.due_on), a.due_on < todayKz() ? t('course.late') : t('course.due')]);
  return h('section', { class: 'course' }, h('h3', {}, t('course.title')),
    h('ol', { class: 'timeline course-list' }, steps.map(([when, what]) => h('li', {}, when ? h('time', {}, `${when} — `) : null, what))));
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
      out.append(h('p', { class: 'alert error', role: 'alert' }, e.status === 404 ? t('track.not_found') : errText(e)));
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
      a.addressed_to ? row('receipt.addressed_to', bodyName(a.addressed_to), 'track-addressed') : null,
      row('track.body', bodyName(a.body)),
      row('receipt.received_at', fmtInstant(a.received_at)),
      row('receipt.registered_on', fmtDate(a.registered_on)),
      row('receipt.due_on', fmtDate(a.due_on), overdue ? 'due overdue' : null)),
    overdue ? h('p', { class: 'alert warn' }, t('track.overdue')) : null,
    courseOf(a));
  if (a.answer) {
    box.append(h('section', { class: 'answer' },
      h('h3', {}, t('track.answer')),
      h('p', {}, h('strong', {}, `${t('track.decision')}: `), tv('decision', a.answer.decision), a.answer.on ? ` · ${fmtDate(a.answer.on)}` : ''),
      h('p', { class: 'answer-text' }, a.answer.text || ''),
      a.answer.grounds ? h('p', { class: 'hint' }, `${t('track.grounds')}: ${a.answer.grounds}`) : null));
    /* "Was your problem solved?" (issue 17): once, the applicant's own word */
    if (a.verdict) box.append(h('p', { class: 'verdict-given' }, t('verdict.given', { v: t(`verdict.${a.verdict}`) })));
    else if (a.verdict_open) box.append(verdictForm(a.number, code, reload));
    if (a.rating) box.append(h('p', { class: 'rated' }, t('track.rated', { n: a.rating })));
    else box.append(ratingForm(a.number, code, reload));
  }
  if (a.answer || overdue) {
    box.append(h('p', { class: 'actions' }, h('button', {
      type: 'button',
      onclick: () => {
        last = { ...(last || {}), complaint: complaintTarget(a, code) };
        ctx.navigate('/complaint');
      },
    }, t(a.answer ? 'track.complain_answer' : 'track.complain_no_answer'))));
  }
  return box;
}

function verdictForm(number, code, reload) {
  const name = 'verdict';
  const options = ['yes', 'partly', 'no'].map((v) => {
    const id = `verdict-${v}`;
    return h('span', { class: 'star' }, h('input', { type: 'radio', name, id, value: v }), h('label', { for: id }, t(`verdict.${v}`)));
  });
  const comment = field(t('verdict.comment'), h('textarea', { name: 'verdict_comment', rows: 3, maxlength: 2000 }));
  const err = h('p', { class: 'field-error', 'aria-live': 'polite' });
  const form = h('form', { class: 'verdict-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, t('verdict.legend')), h('div', { class: 'stars' }, options), err),
    comment.wrap,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('verdict.submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = form.querySelector('input[name=verdict]:checked');
    if (!v) {
      err.textContent = t('verdict.choose');
      return;
    }
    try {
      await post(`/api/v1/track/${enc(number)}/verdict`, { code, verdict: v.value, comment: comment.input.value.trim() || undefined });
      await reload();
    } catch (e) {
      err.textContent = e.message;
    }
  });
  return form;
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
      err.textContent = errText(e);
    }
  });
  return form;
}

/* ==== Complaint ==== */

/* A complaint starts from the number and the access code (issue 18): they identify the
 * appeal, its body, topic and place, and whether a complaint is possible yet; only then the
 * form asks what the number does not tell (who complains, how to answer, why). */
function complaintTarget(a, code) {
  const open = ['registered', 'assigned', 'in_work'].includes(a.status);
  const about = a.answer ? 'answer' : open && a.due_on < todayKz() ? 'no_answer' : null;
  return { number: a.number, code, about, category: a.category, district: a.district, body: a.body, answer: a.answer, due_on: a.due_on, checked: true };
}

export async function complaint(main, _p, ctx) {
  const pre = last && last.complaint;
  if (pre && pre.checked && pre.about) {
    await filingPage(main, ctx, 'complaint', pre, 'complaint', 'complaint.submit');
    return;
  }
  const num = field(t('track.number'), h('input', { name: 'number', autocomplete: 'off', value: (pre && pre.number) || '' }), t('track.number.hint'));
  const code = field(t('track.code'), h('input', { name: 'code', autocomplete: 'off', value: (pre && pre.code) || '' }));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form complaint-start', novalidate: true }, h('div', { class: 'row' }, num.wrap, code.wrap),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('complaint.continue'))), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = num.input.value.trim();
    const c = code.input.value.trim();
    num.setError(n ? '' : t('err.required'));
    code.setError(c ? '' : t('err.required'));
    if (!n || !c) return;
    let a;
    try {
      a = await get(`/api/v1/track/${enc(n)}?code=${encodeURIComponent(c)}`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      out.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, e.status === 404 ? t('track.not_found') : errText(e)));
      return;
    }
    const target = complaintTarget(a, c);
    if (!target.about) {
      out.replaceChildren(h('p', { class: 'alert warn', role: 'alert' }, t('complaint.too_early', { due: fmtDate(a.due_on) })));
      return;
    }
    last = { ...(last || {}), complaint: target };
    ctx.navigate('/complaint', true);
  });
  add(main, h('h1', {}, t('complaint.title')), h('p', { class: 'lead' }, t('complaint.start')), form);
}

/* ==== Personal reception ==== */

/* GET /api/v1/receptions/schedules?body= lists the officials' weekly receptions, GET
 * .../schedules/{id}/slots?from=&to= the free slots, POST /api/v1/receptions/bookings books one
 * and answers the booking id and a code shown only there; POST .../bookings/{id}/cancel with
 * {code} cancels. The code lives in this page's memory only, never in storage or the URL. */
const DAYS_AHEAD = 20; /* today and the next three weeks */

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/* ISO weekday of "yyyy-mm-dd": 1 = Monday .. 7 = Sunday (as the API's schedules) */
function isoWeekday(iso) {
  const w = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

const dayText = (iso) => `${t(`weekday.${isoWeekday(iso)}`)}, ${fmtDate(iso)}`;

/* Only http(s) links from the API become links. */
function safeUrl(u) {
  try {
    const x = new URL(String(u));
    return x.protocol === 'https:' || x.protocol === 'http:' ? x.href : null;
  } catch (e) {
    return null;
  }
}

function officialText(s) {
  const o = s.official || {};
  return [o.name, inLang(o.position, o.position_forms)].filter(Boolean).join(', ');
}

/* Where the reception is held: the room, a video link, or both. */
function whereNodes(s) {
  const url = s.video_url && safeUrl(s.video_url);
  return [
    s.place ? h('span', { class: 'rec-place' }, inLang(s.place, s.place_forms)) : null,
    s.place && url ? h('br', {}) : null,
    url ? [`${t('reception.video')}: `, h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'rec-video' }, url)] : null,
    !s.place && !url ? '—' : null,
  ];
}

/* A message for an API error: the reception's own words, then the common ones, then the API's. */
function recMessage(e) {
  for (const k of [`reception.err.${e.code}`, `api.${e.code}`]) if (t(k) !== k) return t(k);
  if (e.code === 'required') return t('err.required');
  return errText(e);
}

export async function reception(main, _p, ctx) {
  add(main, h('h1', {}, t('reception.title')), h('p', { class: 'lead' }, t('reception.lead')));
  const refs = await loadRefs();
  let all;
  try {
    all = (await get('/api/v1/receptions/schedules')).items || [];
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    add(main, h('p', { class: 'alert info' }, t('reception.unavailable')), cancelSection());
    return;
  }
  if (!ctx.isCurrent()) return;

  /* bodies with a reception schedule first */
  const has = new Set(all.map((s) => s.body));
  const opt = (b) => h('option', { value: b.id }, nameOf(b.name));
  const bodyInput = h('select', { name: 'body' },
    h('option', { value: '' }, t('form.choose')),
    h('optgroup', { label: t('reception.bodies_with') }, refs.bodies.filter((b) => has.has(b.id)).map(opt)),
    h('optgroup', { label: t('reception.bodies_other') }, refs.bodies.filter((b) => !has.has(b.id)).map(opt)));
  const bodySel = field(t('reception.body'), bodyInput, t('reception.body.hint'));

  const picker = h('div', { class: 'rec-schedules', 'aria-live': 'polite' });
  const slotErr = h('p', { class: 'field-error', id: 'rec-slot-err', role: 'alert' });
  const name = field(t('form.full_name'), h('input', { name: 'name', autocomplete: 'name', maxlength: 300 }));
  const phone = field(t('form.phone'), h('input', { name: 'phone', type: 'tel', autocomplete: 'tel', maxlength: 32 }), t('reception.phone.hint'));
  const topic = field(t('reception.topic'), h('textarea', { name: 'topic', rows: 3, maxlength: 1000 }));
  const submit = h('button', { type: 'submit', class: 'primary' }, t('reception.book'));
  const formMsg = h('div', { 'aria-live': 'polite' });
  const you = h('div', { class: 'rec-you', hidden: true },
    h('fieldset', {}, h('legend', {}, t('reception.you')), name.wrap, phone.wrap, topic.wrap),
    h('div', { class: 'actions' }, submit), formMsg);
  const form = h('form', { class: 'rec-form', novalidate: true }, bodySel.wrap, picker, slotErr, you);
  let schedules = new Map();

  async function load(body) {
    picker.replaceChildren();
    slotErr.textContent = '';
    formMsg.replaceChildren();
    you.hidden = true;
    schedules = new Map();
    if (!body) return;
    const list = (await get(`/api/v1/receptions/schedules?body=${encodeURIComponent(body)}`)).items || [];
    if (bodyInput.value !== body) return; /* chosen again meanwhile */
    if (!list.length) {
      picker.append(h('p', { class: 'alert info' }, t('reception.no_schedules')));
      return;
    }
    const from = todayKz();
    const to = addDays(from, DAYS_AHEAD);
    const free = await Promise.all(list.map((s) =>
      get(`/api/v1/receptions/schedules/${s.id}/slots?from=${from}&to=${to}`)
        .then((r) => r.free || [])
        .catch((e) => { if (e instanceof ApiError) return e; throw e; })));
    if (bodyInput.value !== body) return;
    picker.append(h('h2', {}, t('reception.schedules')));
    let any = false;
    list.forEach((s, i) => {
      schedules.set(String(s.id), s);
      const slots = free[i];
      const box = h('fieldset', { class: 'schedule-card', 'data-schedule': s.id },
        h('legend', {}, s.official && s.official.name ? s.official.name : '—'),
        s.official && s.official.position ? h('p', { class: 'rec-position' }, inLang(s.official.position, s.official.position_forms)) : null,
        h('dl', {},
          h('dt', {}, t('reception.when')),
          h('dd', {}, t('reception.hours', { weekday: t(`weekday.${s.weekday}`), start: s.start, end: s.end, n: s.slot_min })),
          h('dt', {}, t('reception.where')),
          h('dd', {}, whereNodes(s)),
          s.valid_to ? [h('dt', {}, t('reception.valid_to')), h('dd', {}, fmtDate(s.valid_to))] : null));
      if (slots instanceof ApiError) {
        box.append(h('p', { class: 'alert error' }, recMessage(slots)));
      } else if (!slots.length) {
        box.append(h('p', { class: 'hint' }, t('reception.no_slots')));
      } else {
        any = true;
        const byDay = new Map();
        for (const x of slots) {
          if (!byDay.has(x.day)) byDay.set(x.day, []);
          byDay.get(x.day).push(x.start);
        }
        box.append(h('p', { class: 'rec-free' }, t('reception.free')));
        for (const [day, starts] of byDay) {
          box.append(h('div', { class: 'slot-day' },
            h('p', { class: 'slot-day-name' }, dayText(day)),
            h('div', { class: 'slot-times' }, starts.map((st) => {
              const id = `slot-${s.id}-${day}-${st.replace(':', '')}`;
              return h('span', { class: 'slot' },
                h('input', { type: 'radio', name: 'slot', id, value: `${s.id}|${day}|${st}`, 'aria-label': `${dayText(day)}, ${st}`, 'aria-describedby': 'rec-slot-err' }),
                h('label', { for: id }, st));
            }))));
        }
      }
      picker.append(box);
    });
    you.hidden = !any;
  }

  bodyInput.addEventListener('change', () => load(bodyInput.value));
  /* an error goes away once its field is changed */
  form.addEventListener('change', (ev) => { if (ev.target.name === 'slot') slotErr.textContent = ''; });
  for (const f of [name, phone, topic]) f.input.addEventListener('input', () => f.setError(''));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    formMsg.replaceChildren();
    const chosen = form.querySelector('input[name=slot]:checked');
    slotErr.textContent = chosen ? '' : t('reception.slot.choose');
    const nm = name.input.value.trim();
    const ph = phone.input.value.trim();
    name.setError(nm ? '' : t('err.required'));
    phone.setError(ph && !/^\+?[\d\s()-]{7,20}$/.test(ph) ? t('err.phone') : '');
    const bad = !chosen ? form.querySelector('input[name=slot]') : form.querySelector('[aria-invalid=true]');
    if (bad) {
      bad.focus();
      return;
    }
    const [sid, day, start] = chosen.value.split('|');
    const tp = topic.input.value.trim();
    submit.disabled = true;
    try {
      const r = await post('/api/v1/receptions/bookings', {
        schedule_id: Number(sid), day, start, name: nm, phone: ph || undefined, topic: tp || undefined,
      });
      showBooking(main, { ...r, schedule: schedules.get(String(r.schedule_id)) || schedules.get(sid) }, ctx);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const msg = recMessage(e);
      const target = { name, phone, topic }[e.field];
      if (target) {
        target.setError(msg);
        target.input.focus();
      } else if (['schedule_id', 'day', 'start'].includes(e.field) || e.code === 'slot_taken') {
        await load(bodyInput.value); /* the slot list is stale: show what is free now */
        slotErr.textContent = msg;
        you.hidden = false;
        const first = form.querySelector('input[name=slot]');
        if (first) first.focus();
      } else {
        formMsg.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, msg));
      }
    } finally {
      submit.disabled = false;
    }
  });

  add(main, form, cancelSection());
}

/* The confirmation: the booking id and the code, shown once, printable. */
function showBooking(main, r, ctx) {
  const s = r.schedule || {};
  const row = (k, v, cls) => [h('dt', {}, t(k)), h('dd', { class: cls || null }, v)];
  const status = h('dd', { class: 'rec-status' }, tv('rec_status', r.status));
  const more = h('div', { class: 'no-print' });
  main.replaceChildren(
    h('h1', { tabindex: '-1' }, t('reception.booked.title')),
    h('p', { class: 'alert ok', role: 'status' }, t('reception.booked.saved')),
    h('section', { class: 'receipt booking-ticket', 'aria-label': t('reception.ticket') },
      h('h2', {}, t('reception.ticket')),
      h('dl', {},
        row('reception.id', String(r.id), 'big mono booking-id'),
        row('reception.code', r.code, 'big mono booking-code'),
        row('reception.when_booked', `${dayText(r.day)}, ${r.start}`),
        row('reception.official', officialText(s) || '—'),
        row('reception.body', bodyName(s.body)),
        row('reception.where', whereNodes(s)),
        h('dt', {}, t('reception.status')), status),
      h('p', { class: 'hint' }, t('reception.keep'))),
    h('div', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, t('reception.print')),
      h('button', {
        type: 'button',
        onclick: (ev) => {
          ev.currentTarget.disabled = true;
          more.replaceChildren(cancelSection({ id: r.id, code: r.code }, () => { status.textContent = tv('rec_status', 'cancelled'); }));
          more.querySelector('button[type=submit]').focus();
        },
      }, t('reception.cancel_this')),
      h('button', { type: 'button', onclick: () => ctx.navigate('/reception') }, t('reception.again'))),
    more,
  );
  main.querySelector('h1').focus();
}

/* "Cancel a booking" with its id and code; prefill when the booking was just made. */
function cancelSection(prefill, onDone) {
  const id = field(t('reception.id'), h('input', { name: 'booking_id', inputmode: 'numeric', autocomplete: 'off', value: prefill ? String(prefill.id) : '' }));
  const code = field(t('reception.code'), h('input', { name: 'booking_code', autocomplete: 'off', value: (prefill && prefill.code) || '' }));
  const out = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, t('reception.cancel.submit'));
  const form = h('form', { class: 'inline-form rec-cancel', novalidate: true },
    h('div', { class: 'row' }, id.wrap, code.wrap), h('div', { class: 'actions' }, submit), out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    out.replaceChildren();
    const n = id.input.value.trim();
    const c = code.input.value.trim();
    id.setError(!n ? t('err.required') : /^\d{1,10}$/.test(n) ? '' : t('reception.err.id'));
    code.setError(c ? '' : t('err.required'));
    const bad = form.querySelector('[aria-invalid=true]');
    if (bad) {
      bad.focus();
      return;
    }
    submit.disabled = true;
    try {
      await post(`/api/v1/receptions/bookings/${encodeURIComponent(n)}/cancel`, { code: c });
      out.append(h('p', { class: 'alert ok', role: 'status' }, t('reception.cancelled', { id: n })));
      if (onDone) onDone();
      code.input.value = '';
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const msg = e.code === 'booking_not_found' || e.status === 404 ? t('reception.err.cancel_not_found') : recMessage(e);
      if (e.field === 'code') {
        code.setError(msg);
        code.input.focus();
      } else {
        out.append(h('p', { class: 'alert error', role: 'alert' }, msg));
      }
    } finally {
      submit.disabled = false;
    }
  });
  return h('section', { class: 'panel rec-cancel-section', 'aria-labelledby': 'rec-cancel-h' },
    h('h2', { id: 'rec-cancel-h' }, t('reception.cancel.title')),
    h('p', { class: 'hint' }, t('reception.cancel.lead')),
    form);
}
