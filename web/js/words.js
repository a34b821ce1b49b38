/* The one translation layer for what the server sends (issue 18): codes (statuses, kinds,
 * decisions, violation kinds, reasons, alert metrics, history actions and fields, error codes)
 * become words of web/i18n/{kk,ru,en}.json; people are shown by name and position, never by
 * id; an error is its code's message, never the server's English text. */
import { t, tv, fmtDate, fmtInstant, currentLang } from './i18n.js';
import { bodyName, categoryName, districtName } from './ref.js';

const has = (k) => t(k) !== k;

/* A code of a vocabulary; "—" for none. An unknown code is not shown as a token: the group's
 * fallback word (or "—") with the code in a tooltip where the caller wants one. */
export function word(group, value, fallbackKey) {
  if (value === null || value === undefined || value === '') return '—';
  const k = `${group}.${value}`;
  if (has(k)) return t(k);
  return fallbackKey && has(fallbackKey) ? t(fallbackKey) : tv(group, value);
}

/* A position or place in the page's language: the API gives the stored (Russian) text and,
 * when the region's tables know it, its forms {kk, ru, en} (position_forms, place_forms). */
export function inLang(text, forms) {
  if (forms && typeof forms === 'object') return forms[currentLang()] || forms.ru || text || '';
  return text || '';
}

/* "Мария Ким, главный специалист" from {name, position, position_forms}; "—" for none. */
export function person(p) {
  if (!p || typeof p !== 'object') return '—';
  return [p.name, inLang(p.position, p.position_forms)].filter(Boolean).join(', ') || '—';
}

/* The codes whose message is the field's own ("Заполните это поле."). */
const FIELD_CODES = {
  required: 'err.required',
  too_long: 'api.too_long',
  wrong_type: 'api.wrong_type',
  bad_date: 'err.date',
  email_format: 'err.email',
  phone_format: 'err.phone',
  iin_checksum: 'err.iin.checksum',
  bin_checksum: 'err.bin.checksum',
};

/* The message for an API error (ApiError or any Error): the code's words (api.<code>), then
 * the common field codes, then a message by HTTP status, then the generic one. The English
 * `message` of the server is never shown. */
export function errText(e) {
  const code = e && e.code;
  if (code && has(`api.${code}`)) return t(`api.${code}`);
  if (code && FIELD_CODES[code] && has(FIELD_CODES[code])) return t(FIELD_CODES[code]);
  const st = e && e.status;
  if (st && has(`api.http_${st}`)) return t(`api.http_${st}`);
  return t('api.generic');
}

/* A history event's action as what happened ("appeal.assign" -> "Назначен исполнитель"),
 * else the action's name ("Регистрация"). */
export function actionText(action) {
  const a = String(action || '').replace(/^appeal\./, '');
  if (has(`evact.${a}`)) return t(`evact.${a}`);
  return has(`action.${a}`) ? t(`action.${a}`) : t('action.unknown');
}

/* Who acted in a history event: a person, the applicant, the system. */
export function actorText(ev) {
  if (ev.actor_person) return person(ev.actor_person);
  const a = String(ev.actor || '');
  if (a === 'citizen') return t('ev.actor.citizen');
  if (a === 'system' || a === 'sweep') return t(`ev.actor.${a}`);
  return a ? t('ev.actor.unknown') : '';
}

/* The fields of a history event worth showing, as [label, text] pairs: known fields only
 * (internal ids and unknown keys are left out), values in words. */
export function eventFields(ev) {
  const d = ev.data || {};
  const out = [];
  for (const [k, v] of Object.entries(d)) {
    if (v === null || v === undefined || v === '' || typeof v === 'object') continue;
    if (/_id$/.test(k) || k === 'id' || !has(`ev.${k}`)) continue;
    out.push([t(`ev.${k}`), evValue(k, v, ev)]);
  }
  return out;
}

function evValue(k, v, ev) {
  if (k === 'executor') return ev.executor_person ? person(ev.executor_person) : t('ev.actor.unknown');
  if (/^(from_status|status|to_status)$/.test(k)) return word('status', v);
  if (k === 'decision') return word('decision', v);
  if (k === 'kind') return word('kind', v);
  if (k === 'channel') return word('channel', v);
  if (k === 'category') return categoryName(v);
  if (k === 'district') return districtName(v);
  if (k === 'reason') return has(`terminate.${v}`) ? t(`terminate.${v}`) : has(`returns.${v}`) ? t(`returns.${v}`) : String(v);
  if (/body$|^addressed_to$/.test(k)) return bodyName(v);
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
  if (/_on$|^due_(from|to)$|^from$|^to$/.test(k) && /^\d{4}-\d{2}-\d{2}$/.test(String(v))) return fmtDate(v);
  if (/_at$/.test(k)) return fmtInstant(v);
  if (k === 'term' && typeof v === 'string') return v.replace(/working_days?/, t('unit.working_days')).replace(/calendar_days?/, t('unit.calendar_days'));
  return String(v);
}

/* "2026-10" -> "октябре" (month in the locative for sentences) / "октябрь 2026". */
export function monthIn(ym) {
  const m = Number(String(ym).slice(5, 7));
  return t('months.in').split(',')[m - 1] || ym;
}

export function monthName(ym) {
  const m = Number(String(ym).slice(5, 7));
  return `${t('months.long').split(',')[m - 1] || ''} ${String(ym).slice(0, 4)}`.trim();
}

/* A number in the page's language: 1 234,5 (ru, kk: Kazakh writes numbers as Russian does,
 * and browsers often lack kk-KZ number data) or 1,234.5 (en). */
export function num(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  const loc = currentLang() === 'en' ? 'en-GB' : 'ru-RU';
  return Number(v).toLocaleString(loc, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/* An alert of GET /api/v1/alerts (or the dashboard's) as one sentence in the page's language:
 * "Риддер: в октябре 1 личный приём вместо обычных ~25, −96 %". */
export function alertSentence(a) {
  const change = a.change_pct === null || a.change_pct === undefined ? '—' : num(Math.abs(a.change_pct), 0);
  const vars = {
    body: bodyName(a.body),
    month: monthIn(a.month),
    current: num(a.current, 0),
    baseline: num(a.baseline, 0),
    metric: word('metric', a.metric),
    change: a.kind === 'drop' ? `−${change}` : change,
    category: categoryName(a.category),
    district: a.district ? ` (${districtName(a.district)})` : '',
  };
  /* a problem that came back (issue 17): baseline is its recurrences, current its appeals */
  if (a.kind === 'recurring') return t('alert.sentence.recurring', vars);
  return t(a.kind === 'surge' ? 'alert.sentence.surge' : 'alert.sentence.drop', vars);
}
