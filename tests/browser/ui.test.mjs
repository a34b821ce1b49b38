/* Browser tests of the Otinish web UI: each test drives the real UI in Chromium the way a
 * person would (labels, buttons), saves one screenshot, and prints one TAP line. */
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const BASE = process.env.BASE_URL;
const PW = process.env.PASSWORD;
const SHOTS = process.env.SHOTS || 'build/screenshots';
const PROFILE = process.env.PROFILE_DIR || mkdtempSync(join(tmpdir(), 'otinish-chromium-'));

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const shared = {};

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function signIn(page, login) {
  await page.goto(`${BASE}/staff/login`);
  await page.getByLabel(/Логин|Login/).fill(login);
  await page.getByLabel(/Пароль|Password/).fill(PW);
  await page.getByRole('button', { name: /Войти|Sign in/ }).click();
  await page.waitForURL(/\/staff$/);
}

/* A citizen's appeal through the public API (for the tests that start after filing). */
async function fileByApi(text) {
  const r = await fetch(`${BASE}/api/v1/appeals`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      kind: 'statement', category: 'heating', district: 'ridder', language: 'ru', text,
      address: 'Риддер, ул. Гоголя 5',
      applicant: { type: 'individual', full_name: 'Петров Пётр', iin: '850505400018', phone: '+77051234567' },
    }),
  });
  assert(r.status === 201, `intake answered ${r.status}`);
  return r.json();
}

test('a citizen files an appeal on a 360 px phone, sees the receipt and tracks it', async (page) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto(`${BASE}/`);
  await page.getByRole('link', { name: 'Подать обращение' }).first().click();
  await page.getByLabel('Фамилия, имя, отчество (обязательно)').fill('Иванова Алия');
  await page.getByLabel('ИИН').fill('900101300008');
  await page.getByRole('button', { name: 'Отправить обращение' }).click();
  /* inline validation: the IIN checksum, the required subject and text, a contact */
  const iinErr = page.locator('#' + (await page.getByLabel('ИИН').getAttribute('id')) + '-err');
  assert(/контрольная цифра/.test(await iinErr.textContent()), 'no IIN checksum message');
  assert((await page.locator('.form-summary li').count()) >= 3, 'the error summary lists the problems');
  const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(scrollW <= 362, `the page is wider than the phone: ${scrollW}px`);
  await page.getByLabel('ИИН').fill('900101300007');
  await page.getByLabel('Телефон').fill('+7 705 123 45 67');
  await page.getByLabel('Тема (обязательно)').selectOption('heating');
  await page.getByLabel('Город или район').selectOption('ridder');
  await page.getByLabel('Адрес проблемы').fill('Риддер, ул. Ленина 12');
  await page.getByLabel('Текст обращения (обязательно)').fill('В доме по ул. Ленина 12 третью неделю нет отопления, в квартирах +14.');
  await page.getByRole('button', { name: 'Отправить обращение' }).click();
  await page.getByRole('heading', { name: 'Талон о приёме обращения' }).waitFor();
  const number = (await page.locator('.receipt-number').textContent()).trim();
  const code = (await page.locator('.receipt-code').textContent()).trim();
  assert(/^З-\d{4}-\d+$/.test(number), `receipt number ${number}`);
  assert(code.length >= 8, 'access code on the receipt');
  assert(/\d{2}\.\d{2}\.\d{4}/.test(await page.locator('.receipt').textContent()), 'dates as dd.mm.yyyy');
  await page.screenshot({ path: `${SHOTS}/citizen-receipt.png`, fullPage: true });
  await page.getByRole('button', { name: 'Проверить статус' }).click();
  await page.waitForURL(/\/track$/);
  await page.locator('.track-card').waitFor();
  const card = await page.locator('.track-card').textContent();
  assert(card.includes(number) && card.includes('Зарегистрировано'), 'tracking shows the status');
  /* and again by hand, as someone coming back later */
  await page.goto(`${BASE}/track`);
  await page.getByLabel('Номер обращения').fill(number);
  await page.getByLabel('Код доступа').fill(code);
  await page.getByRole('button', { name: 'Показать' }).click();
  await page.locator('.track-card').waitFor();
  assert((await page.locator('.track-card').textContent()).includes('Риддер'), 'the body is named');
  return 'citizen-track.png';
});

test('a registrar enters a phone appeal', async (page) => {
  await signIn(page, 'ui.registrar');
  await page.getByRole('link', { name: 'Звонок' }).click();
  await page.getByLabel('Канал поступления').selectOption('phone');
  await page.getByLabel('Фамилия, имя, отчество (обязательно)').fill('Жұмабаев Қайрат');
  await page.getByLabel('Телефон').fill('+7 777 555 44 33');
  await page.getByLabel('Тема (обязательно)').selectOption('water_supply');
  await page.getByLabel('Город или район').selectOption('ridder');
  await page.getByLabel('Язык обращения').selectOption('kk');
  await page.getByLabel('Текст обращения (обязательно)').fill('Үйде үш күннен бері су жоқ, көше Гагарин 7.');
  await page.getByRole('button', { name: 'Зарегистрировать' }).click();
  await page.getByRole('heading', { name: 'Обращение зарегистрировано' }).waitFor();
  const number = (await page.locator('.receipt-number').textContent()).trim();
  await page.screenshot({ path: `${SHOTS}/registrar-phone.png`, fullPage: true });
  await page.getByRole('link', { name: 'Открыть обращение' }).click();
  await page.getByRole('heading', { name: `Обращение ${number}` }).waitFor();
  const text = await page.locator('main').textContent();
  assert(text.includes('Телефон') && text.includes('Регистрация'), 'channel and history shown');
  return 'registrar-appeal.png';
});

test('a head assigns, an executor answers, the citizen sees and rates the answer', async (page, ctx) => {
  const r = await fileByApi('Во дворе дома Гоголя 5 прорвало трубу отопления, течёт кипяток.');
  shared.rated = r.number;
  await signIn(page, 'ui.head');
  const row = page.locator('table.inbox tbody tr', { hasText: r.number });
  await row.waitFor();
  assert(await row.locator('td.due.due-later, td.due.due-soon, td.due.due-overdue').count() === 1, 'due date coloured by urgency');
  await row.getByRole('link', { name: r.number }).click();
  await page.getByRole('button', { name: 'Назначить исполнителя' }).click();
  await page.getByLabel('Логин исполнителя').fill('ui.executor');
  await page.locator('form.act-assign').getByRole('button', { name: 'Назначить исполнителя' }).click();
  await page.getByText('Выполнено: Назначить исполнителя.').waitFor();
  assert((await page.locator('.timeline').textContent()).includes('ui.executor'), 'the timeline shows the assignment');
  assert(await page.getByRole('button', { name: 'Вернуть на доработку' }).count() === 0, 'a head has no "return" action');
  await page.getByRole('button', { name: 'Выйти' }).click();
  await page.waitForURL(/\/staff\/login/);

  await signIn(page, 'ui.executor');
  await page.getByRole('button', { name: 'Назначенные мне' }).click();
  await page.locator('table.inbox').getByRole('link', { name: r.number }).click();
  assert(await page.getByRole('button', { name: 'Назначить исполнителя' }).count() === 0, 'an executor cannot assign');
  await page.getByRole('button', { name: 'Дать ответ' }).click();
  await page.getByLabel('Решение').selectOption('satisfied');
  await page.getByLabel('Текст ответа').fill('Аварийная бригада устранила порыв 12-го числа, отопление восстановлено.');
  await page.getByLabel('Правовые основания').fill('Закон РК «О жилищных отношениях», ст. 42');
  await page.locator('form.act-answer').getByRole('button', { name: 'Дать ответ' }).click();
  await page.getByText('Выполнено: Дать ответ.').waitFor();
  await page.screenshot({ path: `${SHOTS}/executor-answered.png`, fullPage: true });
  await ctx.clearCookies();

  await page.goto(`${BASE}/track`);
  await page.getByLabel('Номер обращения').fill(r.number);
  await page.getByLabel('Код доступа').fill(r.access_code);
  await page.getByRole('button', { name: 'Показать' }).click();
  await page.locator('.answer').waitFor();
  assert((await page.locator('.answer').textContent()).includes('Удовлетворено'), 'the citizen sees the decision');
  await page.getByLabel('5 — отлично, проблема решена').check();
  await page.getByLabel('Комментарий (по желанию)').fill('Спасибо, быстро починили.');
  await page.getByRole('button', { name: 'Отправить оценку' }).click();
  await page.getByText('Ваша оценка ответа: 5 из 5. Спасибо!').waitFor();
  return 'citizen-rated.png';
});

test('a supervisor opens the dashboard and sees the charts drawn', async (page) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'ui.supervisor');
  await page.getByRole('link', { name: 'Панель руководителя' }).click();
  await page.locator('#chart-open').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.charts canvas').length === 4);
  const drawn = await page.evaluate(() => [...document.querySelectorAll('.charts canvas')].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]) n += 1;
    return { id: c.id, w: c.width, h: c.height, painted: n };
  }));
  for (const c of drawn) assert(c.w > 100 && c.h > 100 && c.painted > 500, `chart ${c.id} is not drawn: ${JSON.stringify(c)}`);
  const scorecards = await page.evaluate(async () => (await fetch('/api/v1/scorecards')).status);
  shared.scorecards = scorecards;
  assert(await page.getByRole('link', { name: 'Скачать CSV' }).count() === 1, 'CSV export');
  assert(await page.getByRole('link', { name: 'Скачать XLSX' }).count() === 1, 'XLSX export');
  return 'dashboard.png';
});

test('a head searches appeals by another word form and sees the match marked, the markup as text', async (page) => {
  const r = await fileByApi('Кочегарка <b>не</b> топит, <img src=x onerror=alert(1)> в квартирах без отопления.');
  await signIn(page, 'ui.head');
  await page.getByRole('link', { name: 'Поиск' }).click();
  await page.getByLabel('Слова').fill('кочегарки отопление');
  await page.getByRole('button', { name: 'Найти' }).click();
  await page.waitForURL(/\/staff\/search\?q=/);
  const hitEl = page.locator('.search-hit', { hasText: r.number });
  await hitEl.waitFor();
  const marks = await hitEl.locator('mark').allTextContents();
  assert(marks.join('|') === 'Кочегарка|отопления', `matched words marked: ${marks.join('|')}`);
  assert(await hitEl.locator('.search-fragment b, .search-fragment img').count() === 0, 'the citizen\'s markup is not parsed');
  assert((await hitEl.locator('.search-fragment').textContent()).includes('<img src=x onerror=alert(1)>'), 'the markup shows as text');
  assert(!(await page.getByRole('button', { name: 'Показать ещё' }).isVisible()), 'no next page after the last hit');
  await hitEl.getByRole('link', { name: r.number }).click();
  await page.waitForURL(/\/staff\/appeal\//);
  await page.goBack();
  await page.locator('.search-hit', { hasText: r.number }).waitFor();
  return 'search.png';
});

test('a citizen books a personal reception slot, sees the ticket and cancels it', async (page) => {
  await page.goto(`${BASE}/`);
  await page.getByRole('link', { name: 'Записаться на приём' }).first().click();
  await page.getByRole('heading', { name: 'Запись на личный приём' }).waitFor();
  await page.getByLabel('Орган', { exact: true }).selectOption('ridder');
  const card = page.locator('fieldset.schedule-card').first();
  await card.waitFor();
  const about = await card.textContent();
  assert(about.includes('Среда, 10:00–13:00') && about.includes('Семёнова, 5'), `the schedule: ${about}`);
  assert(!about.includes('[object Object]'), 'the official is shown by name');
  /* inline errors before anything is sent */
  await page.getByRole('button', { name: 'Записаться', exact: true }).click();
  assert((await page.locator('#rec-slot-err').textContent()).includes('Выберите время'), 'a slot must be chosen');
  const nameErr = page.locator('#' + (await page.getByLabel('Фамилия, имя, отчество (обязательно)').getAttribute('id')) + '-err');
  assert((await nameErr.textContent()).includes('Заполните'), 'the name is required');
  const slot = card.locator('input[name=slot]').first();
  const [sid, day, start] = (await slot.getAttribute('value')).split('|');
  await card.locator('.slot label').first().click();
  await page.getByLabel('Фамилия, имя, отчество (обязательно)').fill('Сейткали Дана');
  await page.getByLabel('Телефон').fill('+7 705 111 22 33');
  await page.getByLabel('Вопрос, с которым вы придёте (по желанию)').fill('Ремонт крыши дома по ул. Ленина 3');
  await page.screenshot({ path: `${SHOTS}/reception-slots.png`, fullPage: true });
  await page.getByRole('button', { name: 'Записаться', exact: true }).click();
  await page.getByRole('heading', { name: 'Вы записаны на личный приём' }).waitFor();
  const id = (await page.locator('.booking-id').textContent()).trim();
  const code = (await page.locator('.booking-code').textContent()).trim();
  assert(/^\d+$/.test(id) && code.length === 10, `booking ${id} / ${code}`);
  const ticket = await page.locator('.booking-ticket').textContent();
  assert(ticket.includes(start) && ticket.includes(day.split('-').reverse().join('.')), 'the ticket shows the day and time');
  assert(ticket.includes('Семёнова, 5') && ticket.includes('Записаны'), 'the ticket shows the place and status');
  await page.screenshot({ path: `${SHOTS}/reception-booked.png`, fullPage: true });
  const freeNow = async () => {
    const r = await (await fetch(`${BASE}/api/v1/receptions/schedules/${sid}/slots?from=${day}&to=${day}`)).json();
    return r.free.some((x) => x.day === day && x.start === start);
  };
  assert(!(await freeNow()), 'the booked slot is no longer free');
  /* coming back later: cancel with the number and the code */
  await page.goto(`${BASE}/reception`);
  await page.getByLabel('Номер записи').fill(id);
  await page.getByLabel('Код записи').fill('WRONGCODE1');
  await page.getByRole('button', { name: 'Отменить запись' }).click();
  await page.getByText('Запись с таким номером и кодом не найдена.').waitFor();
  await page.getByLabel('Код записи').fill(code);
  await page.getByRole('button', { name: 'Отменить запись' }).click();
  await page.getByText(`Запись № ${id} отменена. Время освободилось.`).waitFor();
  assert(await freeNow(), 'the cancelled slot is free again');
  return 'reception-cancelled.png';
});

test('switching to Kazakh changes the page and is remembered', async (page) => {
  await page.goto(`${BASE}/`);
  const before = await page.locator('h1').textContent();
  await page.getByLabel('Язык', { exact: true }).selectOption('kk');
  await page.getByRole('heading', { name: 'Шығыс Қазақстан облысы азаматтарының өтініштері' }).waitFor();
  assert((await page.locator('html').getAttribute('lang')) === 'kk', 'html lang=kk');
  assert(before !== (await page.locator('h1').textContent()), 'the heading changed');
  await page.goto(`${BASE}/file`);
  await page.getByRole('heading', { name: 'Өтініш беру' }).waitFor();
  assert(await page.getByLabel('Тақырыбы (міндетті)').count() === 1, 'form labels in Kazakh');
  await page.screenshot({ path: `${SHOTS}/kazakh-file.png`, fullPage: false });
  await page.getByLabel('Тіл', { exact: true }).selectOption('ru');
  return 'kazakh-home.png';
});

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
const ctx = await chromium.launchPersistentContext(PROFILE, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: launchArgs,
  viewport: { width: 1200, height: 900 },
  locale: 'ru-RU',
});
ctx.setDefaultTimeout(10000);
console.log(`1..${tests.length}`);
let failed = 0;
let n = 0;
for (const tc of tests) {
  n += 1;
  await ctx.clearCookies();
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const slug = tc.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  try {
    await page.goto(`${BASE}/`);
    await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
    const shot = await tc.fn(page, ctx);
    await page.screenshot({ path: `${SHOTS}/${shot || `${slug}.png`}`, fullPage: true });
    const csp = errors.filter((e) => /Content Security Policy|Refused to/.test(e));
    assert(!csp.length, `CSP violations: ${csp.join('; ')}`);
    console.log(`ok ${n} - ${tc.name}`);
  } catch (e) {
    failed += 1;
    await page.screenshot({ path: `${SHOTS}/FAILED-${slug}.png`, fullPage: true }).catch(() => {});
    console.log(`not ok ${n} - ${tc.name}`);
    for (const line of String(e.stack || e).split('\n').slice(0, 6)) console.log(`# ${line}`);
    for (const line of errors.slice(0, 5)) console.log(`# browser: ${line}`);
  }
  await page.close();
}
if (shared.scorecards !== undefined) console.log(`# GET /api/v1/scorecards answered ${shared.scorecards}${shared.scorecards === 200 ? '' : ' (charts derived from the appeals list)'}`);
await ctx.close();
process.exit(failed ? 1 : 0);
