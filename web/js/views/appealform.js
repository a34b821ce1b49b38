/* The intake form shared by the citizen portal, the complaint form and the registrar's fast
 * entry: inline validation (required fields, IIN/BIN checksum, contacts, file size) before
 * anything is sent, and the server's field errors shown on the field they belong to. */
import { h, field, select } from '../dom.js';
import { t, currentLang, nameOf, parseDate, fmtDate } from '../i18n.js';
import { get } from '../api.js';
import { loadRefs, categoryName, bodyName } from '../ref.js';
import { iinProblem } from '../iin.js';
import { errText, word } from '../words.js';

/* "dd.mm.yyyy hh:mm" (or "dd.mm.yyyy", or a lone "hh:mm" for today) -> an instant in UTC+5,
 * or null. */
export function parseDateTime(s) {
  const v = String(s || '').trim();
  let m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ ,T]+(\d{1,2})[:.](\d{2}))?$/.exec(v);
  let day;
  let hh = '00';
  let mm = '00';
  if (m) {
    day = parseDate(`${m[1]}.${m[2]}.${m[3]}`);
    if (m[4] !== undefined) { hh = m[4].padStart(2, '0'); mm = m[5]; }
  } else if ((m = /^(\d{1,2})[:.](\d{2})$/.exec(v))) {
    day = new Date(Date.now() + 5 * 3600e3).toISOString().slice(0, 10);
    hh = m[1].padStart(2, '0');
    mm = m[2];
  }
  if (!day || Number(hh) > 23 || Number(mm) > 59) return null;
  return `${day}T${hh}:${mm}:00+05:00`;
}

export const TEXT_MAX = 20000;
export const FILE_MAX = 10 * 1024 * 1024;
export const FILES_MAX = 5;

/* mode: 'portal' | 'complaint' | 'phone'. prefill: {complaint_of, access_code}.
 * Returns {form, collect(): body|null, showServerError(err)}. */
export async function appealForm(mode, prefill) {
  const refs = await loadRefs();
  const f = {};
  const lang = currentLang() === 'kk' ? 'kk' : 'ru';
  const opts = (list, key) => list.map((x) => [x[key], nameOf(x.name)]).sort((a, b) => a[1].localeCompare(b[1]));

  const parts = [];
  /* a complaint checked by number and code (issue 18): the server takes the applicant, topic
   * and place from the appeal complained about; the form asks them only if that appeal has
   * no applicant to take (an anonymous one: 422 on "applicant") */
  const inherit = mode === 'complaint' && !!(prefill && prefill.checked);
  let askApplicant = !inherit;
  if (mode === 'complaint') {
    f.complaint_of = field(t('form.complaint_of'), h('input', { name: 'complaint_of', autocomplete: 'off', value: (prefill && prefill.number) || '' }), t('form.complaint_of.hint'));
    f.access_code = field(t('form.access_code'), h('input', { name: 'access_code', autocomplete: 'off', value: (prefill && prefill.code) || '' }));
    f.about = field(t('form.complaint_about'), select([['answer', t('form.complaint_about.answer')], ['no_answer', t('form.complaint_about.no_answer')]], (prefill && prefill.about) || 'answer', { name: 'about' }));
    const target = h('fieldset', { class: 'complaint-target' }, h('legend', {}, t('form.complaint_target')), f.complaint_of.wrap, f.access_code.wrap, f.about.wrap);
    if (prefill && prefill.checked) {
      /* checked by number and code: said in words, not asked again */
      for (const x of [f.complaint_of, f.access_code, f.about]) x.wrap.hidden = true;
      target.append(h('p', { class: 'complaint-about' }, t(prefill.about === 'answer' ? 'complaint.about_answer' : 'complaint.about_none', {
        number: prefill.number, body: bodyName(prefill.body), date: fmtDate(prefill.answer ? prefill.answer.on : prefill.due_on),
        decision: prefill.answer ? word('decision', prefill.answer.decision) : '' })));
    }
    parts.push(target);
  }
  if (mode === 'phone') {
    f.channel = field(t('form.channel'), select(['phone', 'reception', 'mail', 'email'].map((c) => [c, t(`channel.${c}`)]), 'phone', { name: 'channel' }));
    /* the date and time in one text field, "дд.мм.гггг чч:мм", now by default: one tab stop
     * (a datetime-local input costs seven) */
    const now = new Date(Date.now() + 5 * 3600e3).toISOString();
    const nowText = `${now.slice(8, 10)}.${now.slice(5, 7)}.${now.slice(0, 4)} ${now.slice(11, 16)}`;
    f.received_at = field(t('form.received_at'), h('input', { name: 'received_at', inputmode: 'numeric', autocomplete: 'off', value: nowText, placeholder: t('datetime.placeholder') }), t('form.received_at.hint'));
    parts.push(h('fieldset', {}, h('legend', {}, t('form.call')), h('div', { class: 'row' }, f.channel.wrap, f.received_at.wrap)));
  }

  /* the applicant */
  const types = mode === 'complaint' ? ['individual', 'legal', 'collective'] : ['individual', 'legal', 'collective', 'anonymous'];
  f.type = field(t('form.applicant_type'), select(types.map((x) => [x, t(`applicant.${x}`)]), 'individual', { name: 'applicant_type' }));
  f.full_name = field(t('form.full_name'), h('input', { name: 'full_name', autocomplete: 'name', maxlength: 300 }));
  f.iin = field(t('form.iin'), h('input', { name: 'iin', inputmode: 'numeric', maxlength: 12, autocomplete: 'off' }), t(mode === 'phone' ? 'form.iin.hint_optional' : 'form.iin.hint'));
  f.org = field(t('form.org_name'), h('input', { name: 'org_name', maxlength: 300 }));
  f.bin = field(t('form.bin'), h('input', { name: 'bin', inputmode: 'numeric', maxlength: 12 }));
  f.signatories = field(t('form.signatories'), h('input', { name: 'signatories', type: 'number', min: 2, max: 1000000, value: 2 }));
  f.postal = field(t('form.postal_address'), h('input', { name: 'postal_address', autocomplete: 'street-address', maxlength: 500 }));
  f.phone = field(t('form.phone'), h('input', { name: 'phone', type: 'tel', autocomplete: 'tel', maxlength: 32, placeholder: '+7 705 123 45 67' }));
  f.email = field(t('form.email'), h('input', { name: 'email', type: 'email', autocomplete: 'email', maxlength: 254 }));
  const person = h('div', { class: 'person' }, f.full_name.wrap, f.iin.wrap);
  const legal = h('div', { class: 'legal' }, f.org.wrap, f.bin.wrap);
  const coll = h('div', { class: 'collective' }, f.signatories.wrap);
  const contacts = h('fieldset', { class: 'contacts' }, h('legend', {}, t('form.contacts')), h('p', { class: 'hint' }, t('form.contacts.hint')), f.postal.wrap, h('div', { class: 'row' }, f.phone.wrap, f.email.wrap));
  const syncType = () => {
    const ty = f.type.input.value;
    person.hidden = !(ty === 'individual' || ty === 'collective');
    legal.hidden = ty !== 'legal';
    coll.hidden = ty !== 'collective';
    contacts.hidden = ty === 'anonymous';
  };
  f.type.input.addEventListener('change', syncType);
  /* the registrar sees the caller's earlier appeals as soon as the IIN is typed (issue 18) */
  const earlier = mode === 'phone' ? h('div', { class: 'earlier', 'aria-live': 'polite' }) : null;
  if (earlier) {
    let asked = '';
    f.iin.input.addEventListener('input', async () => {
      const v = f.iin.input.value.trim();
      if (v === asked || !/^\d{12}$/.test(v) || iinProblem(v)) { if (!/^\d{12}$/.test(v)) { asked = ''; earlier.replaceChildren(); } return; }
      asked = v;
      let items = [];
      try {
        items = (await get(`/api/v1/applicants/${v}/appeals`)).items || [];
      } catch (e) {
        return;
      }
      if (asked !== v) return;
      earlier.replaceChildren(items.length
        ? h('section', { class: 'panel earlier-list' }, h('h3', {}, t('phone.earlier', { n: items.length })),
          h('ul', {}, items.map((a) => h('li', {},
            h('a', { href: `/staff/appeal/${encodeURIComponent(a.number)}`, target: '_blank', rel: 'noopener' }, a.number), ' · ',
            fmtDate(a.registered_on), ' · ', categoryName(a.category), ' · ', word('status', a.status)))))
        : h('p', { class: 'hint earlier-none' }, t('phone.earlier.none')));
    });
  }
  const who = h('div', { class: 'applicant-part', hidden: !askApplicant }, h('fieldset', {}, h('legend', {}, t('form.applicant')), f.type.wrap, person, earlier, legal, coll), contacts);
  const fromAppeal = inherit ? h('p', { class: 'complaint-applicant' }, t('complaint.applicant_from', { number: prefill.number })) : null;
  parts.push(fromAppeal, who);

  /* the appeal */
  const kinds = mode === 'complaint' ? ['complaint'] : ['statement', 'proposal', 'request', 'response', 'report'];
  f.kind = field(t('form.kind'), select(kinds.map((k) => [k, t(`kind.${k}`)]), kinds[0], { name: 'kind' }));
  f.kind.input.disabled = mode === 'complaint';
  f.category = field(t('form.category'), select([['', t('form.choose')], ...opts(refs.categories, 'code')], mode === 'complaint' ? 'other' : '', { name: 'category' }));
  f.district = field(t('form.district'), select([['', t('form.choose')], ...opts(refs.districts, 'code')], '', { name: 'district' }));
  f.address = field(t('form.address'), h('input', { name: 'address', maxlength: 500 }), t('form.address.hint'));
  /* the body the applicant addresses (АППК art. 63), optional: routing still finds the
   * competent body, the choice is kept and shown on the receipt */
  if (mode === 'portal') f.addressed_to = field(t('form.addressed_to'), select([['', t('form.addressed_to.none')], ...opts(refs.bodies, 'id')], '', { name: 'addressed_to' }), t('form.addressed_to.hint'));
  f.language = field(t('form.language'), select([['kk', t('lang.kk')], ['ru', t('lang.ru')]], lang, { name: 'language' }));
  f.text = field(t('form.text'), h('textarea', { name: 'text', rows: 7, maxlength: TEXT_MAX }), t('form.text.hint', { max: TEXT_MAX }));
  const counter = h('p', { class: 'hint counter', 'aria-live': 'off' }, `0 / ${TEXT_MAX}`);
  f.text.input.addEventListener('input', () => { counter.textContent = `${f.text.input.value.length} / ${TEXT_MAX}`; });
  f.text.wrap.append(counter);
  if (inherit) {
    /* the kind, topic and place are those of the appeal complained about */
    if (prefill.category) f.category.input.value = prefill.category;
    if (prefill.district) f.district.input.value = prefill.district;
    for (const x of [f.kind, f.category, f.district, f.address]) x.wrap.hidden = true;
  }
  const appealParts = [h('div', { class: 'row' }, f.kind.wrap, f.language.wrap), h('div', { class: 'row' }, f.category.wrap, f.district.wrap), f.address.wrap, f.addressed_to ? f.addressed_to.wrap : null, f.text.wrap].filter(Boolean);
  if (mode !== 'phone') {
    f.files = field(t('form.files'), h('input', { name: 'files', type: 'file', multiple: true }), t('form.files.hint', { n: FILES_MAX, mb: FILE_MAX / 1048576 }));
    appealParts.push(f.files.wrap);
  }
  parts.push(h('fieldset', {}, h('legend', {}, t('form.appeal')), ...appealParts));

  const summary = h('div', { class: 'form-summary', role: 'alert', tabindex: '-1', hidden: true });
  const form = h('form', { class: 'appeal-form', novalidate: true }, summary, ...parts);
  syncType();

  /* ==== checks, field by field ==== */
  const contactsGiven = () => [f.postal, f.phone, f.email].some((x) => x.input.value.trim());
  const applicantChecks = ['full_name', 'iin', 'org', 'bin', 'signatories', 'postal', 'phone', 'email'];
  const checks = {
    complaint_of: () => (mode === 'complaint' && !f.complaint_of.input.value.trim() ? t('err.required') : ''),
    access_code: () => (mode === 'complaint' && !f.access_code.input.value.trim() ? t('err.required') : ''),
    full_name: () => (!person.hidden && !f.full_name.input.value.trim() ? t('err.required') : ''),
    iin: () => {
      if (person.hidden) return '';
      const v = f.iin.input.value.trim();
      if (!v) return mode === 'phone' || f.type.input.value === 'collective' ? '' : t('err.required');
      const p = iinProblem(v);
      return p ? t(`err.${p}`) : '';
    },
    org: () => (!legal.hidden && !f.org.input.value.trim() ? t('err.required') : ''),
    bin: () => {
      if (legal.hidden) return '';
      const p = iinProblem(f.bin.input.value.trim());
      return p ? t(`err.${p.replace('iin', 'bin')}`) : '';
    },
    signatories: () => (!coll.hidden && !(Number(f.signatories.input.value) >= 2) ? t('err.signatories') : ''),
    postal: () => (!contacts.hidden && !contactsGiven() ? t('err.contact') : ''),
    phone: () => {
      const v = f.phone.input.value.trim();
      return v && !/^\+?[\d\s()-]{7,20}$/.test(v) ? t('err.phone') : '';
    },
    email: () => {
      const v = f.email.input.value.trim();
      return v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? t('err.email') : '';
    },
    received_at: () => (f.received_at && f.received_at.input.value.trim() && !parseDateTime(f.received_at.input.value) ? t('err.datetime') : ''),
    category: () => (!f.category.input.value ? t('err.required') : ''),
    text: () => {
      const v = f.text.input.value.trim();
      if (!v) return t('err.required');
      return v.length > TEXT_MAX ? t('err.too_long', { max: TEXT_MAX }) : '';
    },
    files: () => {
      if (!f.files) return '';
      const list = [...f.files.input.files];
      if (list.length > FILES_MAX) return t('err.files_count', { n: FILES_MAX });
      const big = list.find((x) => x.size > FILE_MAX);
      return big ? t('err.file_size', { name: big.name, mb: FILE_MAX / 1048576 }) : '';
    },
  };
  for (const k of applicantChecks) {
    const check = checks[k];
    checks[k] = () => (askApplicant ? check() : '');
  }
  /* Errors clear while the person types (so nothing moves under the pointer when they then
   * click "send"); a value left wrong is flagged when the field is left. */
  const pending = new Set();
  const refresh = () => {
    for (const k of [...pending]) if (!checks[k]()) { f[k].setError(''); pending.delete(k); }
    if (!summary.hidden) showSummary([...pending].map((k) => [k, checks[k]()]));
  };
  for (const [k, check] of Object.entries(checks)) {
    if (!f[k]) continue;
    const el = f[k].input;
    const instant = el.type === 'file' || el.tagName === 'SELECT';
    el.addEventListener(instant ? 'change' : 'input', () => {
      if (instant && check()) { f[k].setError(check()); pending.add(k); }
      refresh();
    });
    if (!instant) el.addEventListener('blur', () => {
      const m = el.value.trim() ? check() : '';
      if (m) { f[k].setError(m); pending.add(k); }
    });
  }
  for (const k of ['phone', 'email', 'postal']) f[k].input.addEventListener('input', refresh);

  function showSummary(msgs) {
    msgs = msgs.filter(([, m]) => m);
    summary.hidden = !msgs.length;
    summary.replaceChildren(h('p', {}, t('err.summary')), h('ul', {}, msgs.map(([k, m]) => h('li', {}, h('a', { href: `#${f[k].input.id}`, onclick: (e) => { e.preventDefault(); f[k].input.focus(); } }, `${f[k].wrap.querySelector('label').textContent}: ${m}`)))));
  }

  function collect() {
    const bad = [];
    for (const [k, check] of Object.entries(checks)) {
      if (!f[k]) continue;
      const m = check();
      f[k].setError(m);
      if (m) { bad.push([k, m]); pending.add(k); }
    }
    showSummary(bad);
    if (bad.length) {
      f[bad[0][0]].input.focus();
      return null;
    }
    const v = (x) => x.input.value.trim() || undefined;
    const ty = f.type.input.value;
    const applicant = { type: ty };
    if (ty === 'individual' || ty === 'collective') Object.assign(applicant, { full_name: v(f.full_name), iin: v(f.iin) });
    if (ty === 'legal') Object.assign(applicant, { name: v(f.org), bin: v(f.bin) });
    if (ty === 'collective') applicant.signatories = Number(f.signatories.input.value);
    if (ty !== 'anonymous') Object.assign(applicant, { postal_address: v(f.postal), phone: v(f.phone), email: v(f.email) });
    const body = {
      kind: mode === 'complaint' ? 'complaint' : f.kind.input.value,
      category: inherit ? undefined : f.category.input.value,
      district: inherit ? undefined : f.district.input.value || undefined,
      language: f.language.input.value,
      address: inherit ? undefined : v(f.address),
      addressed_to: f.addressed_to ? f.addressed_to.input.value || undefined : undefined,
      text: f.text.input.value.trim(),
      applicant: askApplicant ? applicant : undefined,
    };
    if (mode === 'complaint') {
      body.complaint_of = v(f.complaint_of);
      body.access_code = v(f.access_code);
      const about = t(`form.complaint_about.${f.about.input.value}`);
      body.text = `${about}. ${body.text}`;
    }
    if (mode === 'phone') {
      body.channel = f.channel.input.value;
      const when = parseDateTime(f.received_at.input.value);
      if (when) body.received_at = when;
    } else body.channel = 'portal';
    return body;
  }

  const serverField = {
    'applicant.full_name': 'full_name', 'applicant.iin': 'iin', 'applicant.name': 'org', 'applicant.bin': 'bin',
    'applicant.signatories': 'signatories', 'applicant.postal_address': 'postal', 'applicant.phone': 'phone',
    'applicant.email': 'email', category: 'category', district: 'district', text: 'text', address: 'address',
    complaint_of: 'complaint_of', access_code: 'access_code', received_at: 'received_at', language: 'language',
    addressed_to: 'addressed_to',
  };
  function showServerError(err) {
    if (err.field === 'applicant' && !askApplicant) {
      /* the appeal complained about names no applicant: ask, as the law wants (АППК art. 93) */
      askApplicant = true;
      who.hidden = false;
      if (fromAppeal) fromAppeal.hidden = true;
      syncType();
      summary.hidden = false;
      summary.replaceChildren(h('p', {}, t('complaint.applicant_needed')));
      f.full_name.input.focus();
      return;
    }
    const k = serverField[err.field];
    const msg = errText(err);
    if (k && f[k]) {
      f[k].setError(msg);
      showSummary([[k, msg]]);
      f[k].input.focus();
    } else {
      summary.hidden = false;
      summary.replaceChildren(h('p', {}, msg));
      summary.focus();
    }
  }

  function files() {
    return f.files ? [...f.files.input.files].map((x) => x.name) : [];
  }

  return { form, collect, showServerError, files };
}
