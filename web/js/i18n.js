/* Translations: one JSON file per language under /i18n/, the choice kept in localStorage.
 * Dates are shown dd.mm.yyyy in every language. */
const LANGS = ['kk', 'ru', 'en'];
const KEY = 'otinish.lang';
let lang = 'ru';
let dict = {};
let fallback = {};

export function languages() {
  return LANGS;
}

export function currentLang() {
  return lang;
}

async function loadDict(l) {
  const r = await fetch(`/i18n/${l}.json`);
  if (!r.ok) throw new Error(`i18n ${l}: ${r.status}`);
  return r.json();
}

export async function initLang() {
  let l = null;
  try {
    l = localStorage.getItem(KEY);
  } catch (e) {
    /* storage disabled: fall back to the browser's language */
  }
  if (!LANGS.includes(l)) {
    const nav = (navigator.language || 'ru').slice(0, 2);
    l = LANGS.includes(nav) ? nav : 'ru';
  }
  fallback = await loadDict('ru');
  await setLang(l);
}

export async function setLang(l) {
  if (!LANGS.includes(l)) return;
  dict = l === 'ru' ? fallback : await loadDict(l);
  lang = l;
  document.documentElement.lang = l;
  try {
    localStorage.setItem(KEY, l);
  } catch (e) {
    /* not remembered, still switched */
  }
}

/* t('inbox.count', {n: 3}) -> the string with {n} replaced; the key itself when missing. */
export function t(key, vars) {
  let s = dict[key] ?? fallback[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/* A value from the API's vocabulary ("status.answered"); the raw value when unknown. */
export function tv(group, value) {
  if (value === null || value === undefined || value === '') return '—';
  const k = `${group}.${value}`;
  const s = dict[k] ?? fallback[k];
  return s ?? String(value);
}

/* {kk, ru, en} names from the reference API in the current language. */
export function nameOf(names) {
  if (!names) return '';
  if (typeof names === 'string') return names;
  return names[lang] || names.ru || names.kk || names.en || '';
}

/* "2026-12-22" or an ISO instant -> "22.12.2026" */
export function fmtDate(s) {
  if (!s) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(s));
  return m ? `${m[3]}.${m[2]}.${m[1]}` : String(s);
}

/* "2026-11-28T06:50:38.04+05:00" -> "28.11.2026 06:50" (the time as the server gave it, UTC+5) */
export function fmtInstant(s) {
  if (!s) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(String(s));
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : String(s);
}

/* "dd.mm.yyyy" typed by a person -> "yyyy-mm-dd" or null */
export function parseDate(s) {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(s || '');
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}
