/* Reference data (bodies, districts, categories) loaded once, and the working-day calendar
 * used to colour due dates by urgency. */
import { get, tryGet } from './api.js';
import { nameOf } from './i18n.js';

let refs = null;
let loading = null;

export function refsNow() {
  return refs;
}

export async function loadRefs() {
  if (!loading) loading = loadAll().catch((e) => { loading = null; throw e; });
  return loading;
}

async function loadAll() {
  {
    const [b, d, c] = await Promise.all([
      get('/api/v1/bodies'),
      get('/api/v1/districts'),
      get('/api/v1/categories'),
    ]);
    refs = { bodies: b.bodies, districts: d.districts, categories: c.categories };
    refs.bodyById = new Map(refs.bodies.map((x) => [x.id, x]));
    refs.catByCode = new Map(refs.categories.map((x) => [x.code, x]));
    refs.distByCode = new Map(refs.districts.map((x) => [x.code, x]));
  }
  return refs;
}

export function bodyName(id) {
  const b = refs && refs.bodyById.get(id);
  return b ? nameOf(b.name) : id || '—';
}

export function categoryName(code) {
  const c = refs && refs.catByCode.get(code);
  return c ? nameOf(c.name) : code || '—';
}

export function districtName(code) {
  const d = refs && refs.distByCode.get(code);
  return d ? nameOf(d.name) : code || '—';
}

/* Today in Kazakhstan (UTC+5), "yyyy-mm-dd". */
export function todayKz() {
  return new Date(Date.now() + 5 * 3600 * 1000).toISOString().slice(0, 10);
}

const offDays = new Set();
const yearsLoaded = new Set();

export async function loadCalendar(years) {
  await Promise.all(
    years
      .filter((y) => !yearsLoaded.has(y))
      .map(async (y) => {
        yearsLoaded.add(y);
        const c = await tryGet(`/api/v1/calendar/${y}`);
        for (const d of (c && c.non_working_days) || []) offDays.add(d.date);
      }),
  );
}

function addDay(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function isOff(iso) {
  if (offDays.size) return offDays.has(iso);
  const wd = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
}

/* Working days from today to the due date: 0 = due today, negative = overdue (calendar days). */
export function workingDaysTo(due, today = todayKz()) {
  if (!due) return null;
  if (due < today) {
    return -Math.round((Date.parse(today) - Date.parse(due)) / 86400000);
  }
  let n = 0;
  for (let d = today; d < due && n < 400; ) {
    d = addDay(d, 1);
    if (!isOff(d)) n += 1;
  }
  return n;
}

/* 'overdue' | 'soon' (≤ 3 working days) | 'later' */
export function urgency(due, today = todayKz()) {
  const n = workingDaysTo(due, today);
  if (n === null) return 'later';
  if (n < 0) return 'overdue';
  return n <= 3 ? 'soon' : 'later';
}

export function calendarYears(today = todayKz()) {
  const y = Number(today.slice(0, 4));
  return [y, y + 1];
}
