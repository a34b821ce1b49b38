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

/* The page's language, as a person would keep it (the switch is remembered). */
async function setLang(page, l) {
  await page.evaluate((x) => localStorage.setItem('otinish.lang', x), l);
  await page.reload();
  await page.locator('main h1').first().waitFor();
}

/* Issue 18: a staff page in kk or ru shows words, never the server's codes (snake_case) or
 * English sentences. Latin is allowed only as single words (Otinish, CSV, a login). */
async function onlyWords(page, where) {
  await page.waitForLoadState('networkidle');
  const text = await page.evaluate(() => `${document.querySelector('header').innerText}\n${document.querySelector('main').innerText}`);
  const snake = [...new Set(text.match(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g) || [])];
  assert(!snake.length, `${where}: codes on the page: ${snake.join(', ')}`);
  const english = [...new Set(text.match(/[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}/g) || [])];
  assert(!english.length, `${where}: English on the page: ${english.join(' | ')}`);
  assert(!/\[object Object\]|undefined|NaN/.test(text), `${where}: a broken value on the page`);
}

/* The page fits the phone: nothing wider than the screen but the tables' own scroll. */
async function fitsPhone(page, where) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(w <= 362, `${where}: the page is ${w}px wide on a 360 px phone`);
}

/* A citizen's appeal through the public API (for the tests that start after filing). */
async function fileByApi(text, address = 'Риддер, ул. Гоголя 5') {
  const r = await fetch(`${BASE}/api/v1/appeals`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      kind: 'statement', category: 'heating', district: 'ridder', language: 'ru', text,
      address,
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
  /* issue 16: the body the citizen addresses (АППК art. 63), picked by its name */
  const addressee = page.getByLabel('Кому адресовано');
  assert((await addressee.locator('option', { hasText: 'Акимат Восточно-Казахстанской области' }).count()) === 1, 'bodies by their Russian names');
  await addressee.selectOption({ label: 'Акимат Восточно-Казахстанской области' });
  await fitsPhone(page, 'the filing form with a body chosen');
  const filedReply = page.waitForResponse((r) => r.url().endsWith('/api/v1/appeals') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Отправить обращение' }).click();
  const sent = await filedReply;
  assert(JSON.parse(sent.request().postData()).addressed_to === 'vko', 'the form sends addressed_to');
  const got = await sent.json();
  assert(sent.status() === 201 && got.addressed_to === 'vko', `the server kept the addressee: ${JSON.stringify(got.addressed_to)}`);
  await page.getByRole('heading', { name: 'Талон о приёме обращения' }).waitFor();
  const addressed = await page.locator('.receipt .receipt-addressed').textContent();
  assert(addressed.includes('Акимат Восточно-Казахстанской области'), `the receipt names the addressee: ${addressed}`);
  const number = (await page.locator('.receipt-number').textContent()).trim();
  const code = (await page.locator('.receipt-code').textContent()).trim();
  assert(/^З-\d{4}-\d+$/.test(number), `receipt number ${number}`);
  assert(code.length >= 8, 'access code on the receipt');
  assert(/\d{2}\.\d{2}\.\d{4}/.test(await page.locator('.receipt').textContent()), 'dates as dd.mm.yyyy');
  /* issue 18: the receipt says what was filed and what happens next */
  const filed = await page.locator('.receipt .filed').textContent();
  assert(filed.includes('Ленина 12') && filed.includes('третью неделю'), `what was filed: ${filed}`);
  const next = await page.locator('.receipt .next-steps').textContent();
  assert(next.includes('Что будет дальше') && /не позднее \d{2}\.\d{2}\.\d{4}/.test(next) && next.includes('жалобу'), `what happens next: ${next}`);
  /* a compact phone header: well under a quarter of the screen */
  const headerH = await page.evaluate(() => document.getElementById('top').getBoundingClientRect().height);
  assert(headerH < 780 * 0.15, `the header takes ${headerH}px of 780`);
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
  const addressedTrack = await page.locator('.track-card .track-addressed').textContent();
  assert(addressedTrack.includes('Акимат Восточно-Казахстанской области'), `tracking names the addressee: ${addressedTrack}`);
  /* the course in plain words */
  const course = await page.locator('.track-card .course').textContent();
  assert(course.includes('обращение получено') && course.includes('зарегистрировано и передано в орган'), `the course: ${course}`);
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
  /* issue 18: the date and time in one field (one tab stop), now by default */
  const when = page.getByLabel('Время поступления');
  assert(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/.test(await when.inputValue()), 'date and time in one field');
  /* one tab stop, not the seven of a datetime-local input: Tab from the channel lands on it,
   * the next Tab leaves it for the applicant */
  await page.getByLabel('Канал поступления').focus();
  await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.activeElement.name) === 'received_at', 'Tab reaches the date and time');
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => document.activeElement.name);
  assert(next === 'applicant_type', `one Tab leaves the date and time field (now on ${next})`);
  await when.fill('32.13.2026 25:00');
  await page.getByRole('button', { name: 'Зарегистрировать' }).click();
  assert((await page.locator('.form-summary').textContent()).includes('дд.мм.гггг чч:мм'), 'a wrong date and time is caught');
  const now = new Date(Date.now() + 5 * 3600e3 - 3600e3).toISOString();
  await when.fill(`${now.slice(8, 10)}.${now.slice(5, 7)}.${now.slice(0, 4)} ${now.slice(11, 16)}`);
  /* the caller's earlier appeals show once the IIN is typed (the citizen of the first test) */
  await page.getByLabel('ИИН').fill('900101300007');
  await page.locator('.earlier-list li').first().waitFor();
  assert((await page.locator('.earlier-list').textContent()).includes('Ранее обращался'), 'earlier appeals listed');
  await page.getByLabel('ИИН').fill('');
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
  await page.getByRole('link', { name: /^Новые/ }).click();
  const row = page.locator('table.inbox tbody tr', { hasText: r.number });
  await row.waitFor();
  assert(await row.locator('td.due.due-later, td.due.due-soon, td.due.due-overdue').count() === 1, 'due date coloured by urgency');
  await row.getByRole('link', { name: r.number }).click();
  await page.getByRole('button', { name: 'Назначить исполнителя' }).click();
  /* the picker names the body's executors with their workload */
  const picker = page.getByLabel('Исполнитель', { exact: true });
  const option = (await picker.locator('option', { hasText: 'Мария Ким' }).textContent()) || '';
  assert(/в работе \d+, просрочено \d+/.test(option), `the picker shows the workload: ${option}`);
  await picker.selectOption('ui.executor');
  await page.locator('form.act-assign').getByRole('button', { name: 'Назначить исполнителя' }).click();
  await page.getByText('Выполнено: Назначить исполнителя.').waitFor();
  const tl = await page.locator('.timeline').textContent();
  assert(tl.includes('Мария Ким') && tl.includes('Ерлан Садықов'), 'the timeline names the people');
  assert(!/user:\d|ui\.executor/.test(tl), 'no ids or logins in the timeline');
  assert((await page.locator('.executor-person').textContent()).includes('Мария Ким'), 'the executor by name');
  assert(await page.getByRole('button', { name: 'Вернуть на доработку' }).count() === 0, 'a head has no "return" action');
  await page.getByRole('button', { name: 'Выйти' }).click();
  await page.waitForURL(/\/staff\/login/);

  await signIn(page, 'ui.executor');
  /* an executor's queue is their own: one body, so no body column */
  assert(await page.locator('table.inbox th.col-body').count() === 0, 'no body column when it does not vary');
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
  /* "Was your problem solved?" (issue 17), once */
  await page.locator('form.verdict-form').getByLabel('да', { exact: true }).check();
  await page.getByRole('button', { name: 'Ответить', exact: true }).click();
  await page.getByText('Ваш ответ на вопрос «Решена ли проблема?»: да.').waitFor();
  assert(await page.locator('form.verdict-form').count() === 0, 'the verdict is asked once');
  await page.getByLabel('5 — отлично, проблема решена').check();
  await page.getByLabel('Комментарий (по желанию)').fill('Спасибо, быстро починили.');
  await page.getByRole('button', { name: 'Отправить оценку' }).click();
  await page.getByText('Ваша оценка ответа: 5 из 5. Спасибо!').waitFor();
  await page.screenshot({ path: `${SHOTS}/citizen-rated.png`, fullPage: true });
  /* issue 18: a complaint starts from number and code; the form does not ask them again */
  await page.goto(`${BASE}/complaint`);
  await page.getByLabel('Номер обращения').fill(r.number);
  await page.getByLabel('Код доступа').fill(r.access_code);
  await page.getByRole('button', { name: 'Продолжить' }).click();
  const about = page.locator('.complaint-about');
  await about.waitFor();
  const aboutText = await about.textContent();
  assert(aboutText.includes(r.number) && aboutText.includes('Удовлетворено'), `the complaint names the answer: ${aboutText}`);
  assert(!(await page.getByLabel('Тема (обязательно)').isVisible()), 'the topic is not asked again');
  /* nor who complains: number and code identify the applicant; only the text is asked */
  assert(!(await page.getByLabel('Фамилия, имя, отчество (обязательно)').isVisible()), 'the name is not asked again');
  assert(!(await page.getByLabel('Телефон').isVisible()), 'the contacts are not asked again');
  assert((await page.locator('.complaint-applicant').textContent()).includes(r.number), 'the form says whose complaint it is');
  await page.getByLabel('Текст обращения (обязательно)').fill('Не согласен: труба снова течёт, кипяток в подвале.');
  await page.screenshot({ path: `${SHOTS}/complaint-start.png`, fullPage: true });
  await page.getByRole('button', { name: 'Отправить жалобу' }).click();
  await page.getByRole('heading', { name: 'Талон о приёме обращения' }).waitFor();
  const cnum = (await page.locator('.receipt-number').textContent()).trim();
  assert(/^Ж-/.test(cnum), `a complaint's number: ${cnum}`);
  assert((await page.locator('.receipt .filed').textContent()).includes(r.number), 'the receipt names the appeal complained about');
  const c = await getAs('ui.supervisor', `/api/v1/appeals/${encodeURIComponent(cnum)}`);
  assert(c.complaint_of === r.number && c.applicant.name === 'Петров Пётр' && c.category === 'heating', `the server took the applicant from the appeal: ${JSON.stringify(c.applicant)}`);
  return 'complaint-filed.png';
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

test('issue 18: the staff pages speak Kazakh and Russian, at 360 px and on the desktop', async (page) => {
  for (const [lang, width, login] of [['kk', 360, 'ui.supervisor'], ['ru', 1280, 'ui.supervisor'], ['kk', 1280, 'ui.head'], ['ru', 360, 'ui.head']]) {
    await page.setViewportSize({ width, height: 900 });
    await page.context().clearCookies();
    await page.evaluate(() => localStorage.setItem('otinish.lang', 'ru'));
    await signIn(page, login);
    await setLang(page, lang);
    const where = (p) => `${lang} ${width}px ${login} ${p}`;
    await page.locator('table.inbox').waitFor();
    await onlyWords(page, where('inbox'));
    if (width === 360) {
      await fitsPhone(page, where('inbox'));
      /* a compact phone header for staff too, with their longer menu */
      const hh = await page.evaluate(() => document.getElementById('top').getBoundingClientRect().height);
      assert(hh < 900 * 0.2, `${where('inbox')}: the header takes ${hh}px of 900`);
    }
    await page.goto(`${BASE}/staff?view=all`);
    await page.locator('table.inbox').waitFor();
    await onlyWords(page, where('inbox, all'));
    /* an appeal with a history: the first one of the list that has one past registration */
    const href = await page.locator('table.inbox tbody th a').first().getAttribute('href');
    await page.goto(`${BASE}${href}`);
    await page.locator('.timeline').waitFor();
    await onlyWords(page, where(`appeal ${href}`));
    if (width === 360) await fitsPhone(page, where('appeal'));
    await page.goto(`${BASE}/staff/control`);
    await page.locator('#h-violations').waitFor();
    await onlyWords(page, where('violations and control'));
    await page.goto(`${BASE}/dashboard`);
    await page.locator('.figures').waitFor();
    await onlyWords(page, where('dashboard'));
    if (width === 360) await fitsPhone(page, where('dashboard'));
    await page.goto(`${BASE}/reception`);
    await page.locator('select[name=body]').selectOption('ridder');
    await page.locator('fieldset.schedule-card').first().waitFor();
    await onlyWords(page, where('receptions'));
    if (lang === 'kk') {
      const card = await page.locator('fieldset.schedule-card').first().textContent();
      assert(card.includes('Семёнов көшесі') && card.includes('әкімінің орынбасары'), `the place and position in Kazakh: ${card}`);
    }
    if (lang === 'kk' && width === 360) await page.screenshot({ path: `${SHOTS}/kk-phone-reception.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.context().clearCookies();
  await page.evaluate(() => localStorage.setItem('otinish.lang', 'ru'));
  await signIn(page, 'ui.supervisor');
  await page.goto(`${BASE}/staff/control`);
  await page.locator('#h-queue').waitFor();
  assert(await page.locator('#h-violations ~ .table-wrap tbody tr a').count() > 3, 'the sweep left violations to show');
  return 'control.png';
});

test('issue 18: the work queue: open appeals by due date, counts, filters and page in the URL', async (page) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'ui.supervisor');
  await page.locator('table.inbox').waitFor();
  /* overdue first: due dates never go down the page */
  const dues = await page.locator('table.inbox tbody td.due .due-date').allTextContents();
  const iso = dues.map((d) => d.split('.').reverse().join('-'));
  assert(iso.length > 1 && iso.every((d, i) => !i || iso[i - 1] <= d), `not by due date: ${dues.join(' ')}`);
  assert(await page.locator('table.inbox td.due-overdue').count() > 0, 'overdue appeals lead the queue');
  /* the tabs carry counts */
  const open = await page.locator('.qtab-open .qcount').textContent();
  const overdue = Number((await page.locator('.qtab-overdue .qcount').textContent()).replace(/\D/g, ''));
  assert(/\d/.test(open) && overdue > 0, `counts on the tabs: ${open} / ${overdue}`);
  /* a tab and a page are in the URL: a reload shows the same */
  await page.locator('.qtab-overdue').click();
  await page.waitForURL(/view=overdue/);
  assert(await page.locator('table.inbox td.due-later, table.inbox td.due-soon').count() === 0, 'only overdue ones');
  if (overdue > 25) {
    await page.getByRole('link', { name: /Дальше/ }).click();
    await page.waitForURL(/cur=/);
    const first = await page.locator('table.inbox tbody th a').first().textContent();
    await page.reload();
    await page.locator('table.inbox').waitFor();
    assert((await page.locator('table.inbox tbody th a').first().textContent()) === first, 'the page survives a reload');
    assert((await page.locator('.pager').textContent()).includes('Страница 2'), 'page 2');
    await page.goBack();
    await page.waitForURL((u) => !/cur=/.test(u.search));
  }
  /* a filter too */
  await page.locator('.filters-box summary').click();
  await page.getByLabel('Вид', { exact: true }).selectOption('statement');
  await page.getByRole('button', { name: 'Применить' }).click();
  await page.waitForURL(/kind=statement/);
  await page.reload();
  assert((await page.getByLabel('Вид', { exact: true }).inputValue()) === 'statement', 'the filter survives a reload');
  /* the body column shows because the bodies vary */
  assert(await page.locator('table.inbox thead th.col-body').count() === 1, 'a body column when bodies vary');
  await page.goto(`${BASE}/staff`);
  await page.locator('table.inbox').waitFor();
  return 'inbox-queue.png';
});

/* The router drops a stale render: an appeal page still waiting for the server when the
 * person goes on to the inbox must not land on top of the inbox when the answer comes. */
test('issue 18: a page render overtaken by a route change never reaches the page', async (page) => {
  const r = await fileByApi('Во дворе дома Гоголя 5 разбита детская площадка, качели сломаны.');
  await signIn(page, 'ui.head');
  await page.locator('table.inbox').waitFor();
  let reached;
  const asked = new Promise((res) => { reached = res; });
  const held = (u) => /^\/api\/v1\/appeals\/[^/]+$/.test(new URL(u).pathname);
  await page.route(held, (route) => reached(route));
  /* the appeal page starts, its answer is held; the person goes to the inbox meanwhile */
  await page.evaluate((n) => { history.pushState(null, '', `/staff/appeal/${encodeURIComponent(n)}`); dispatchEvent(new PopStateEvent('popstate')); }, r.number);
  const route = await asked;
  await page.getByRole('link', { name: 'Входящие' }).click();
  await page.waitForURL(/\/staff$/);
  await page.locator('table.inbox').waitFor();
  const inboxTitle = await page.title();
  /* now the appeal page's answer comes; wait until that render has ended */
  const staleDone = page.evaluate(() => new Promise((res) => document.addEventListener('otinish:rendered', (e) => { if (e.detail.path.startsWith('/staff/appeal/')) res(e.detail); })));
  await route.continue();
  await page.unroute(held);
  const detail = await staleDone;
  assert(detail.current === false, 'the appeal page\'s render knew it was no longer current');
  assert(await page.locator('table.inbox').count() === 1, 'the inbox is still there');
  const heads = await page.locator('main h1').allTextContents();
  assert(heads.length === 1, `the stale appeal page landed on the inbox: ${heads.join(' | ')}`);
  assert(await page.locator('main .crumbs').count() === 0, 'no part of the appeal page on the inbox');
  assert(await page.title() === inboxTitle, `the title is the inbox's: ${await page.title()}`);
  assert(new URL(page.url()).pathname === '/staff', 'no redirect from the stale page');
});

test("issue 18: an executor's extension request is a task in the head's queue", async (page, ctx) => {
  const r = await fileByApi('Во дворе дома Гоголя 5 не вывозят мусор вторую неделю.');
  await signIn(page, 'ui.head');
  await page.goto(`${BASE}/staff/appeal/${encodeURIComponent(r.number)}`);
  await page.getByRole('button', { name: 'Назначить исполнителя' }).click();
  await page.getByLabel('Исполнитель', { exact: true }).selectOption('ui.executor');
  await page.locator('form.act-assign').getByRole('button', { name: 'Назначить исполнителя' }).click();
  await page.getByText('Выполнено: Назначить исполнителя.').waitFor();
  /* the head cannot extend past the legal limit: the message is in words, not the server's */
  await page.getByRole('button', { name: 'Продлить срок' }).click();
  await page.getByLabel('Новый срок').fill('01.01.2099');
  await page.getByLabel('Основание', { exact: true }).fill('Проверка');
  await page.locator('form.act-extend').getByRole('button', { name: 'Продлить срок' }).click();
  const err = page.locator('form.act-extend .field-error, form.act-extend .alert.error').first();
  await err.waitFor();
  const msg = await err.textContent();
  assert(/[а-я]/.test(msg) && !/[a-z]{3,} [a-z]{3,}/i.test(msg), `the error in words: ${msg}`);
  await ctx.clearCookies();

  await signIn(page, 'ui.executor');
  await page.goto(`${BASE}/staff/appeal/${encodeURIComponent(r.number)}`);
  await page.getByRole('button', { name: 'Запросить продление срока' }).click();
  const max = await page.evaluate(async (n) => (await (await fetch(`/api/v1/appeals/${encodeURIComponent(n)}`)).json()).max_due_on, r.number);
  await page.getByLabel('Новый срок').fill(max.split('-').reverse().join('.'));
  await page.getByLabel('Основание', { exact: true }).fill('Ждём заключения подрядчика');
  await page.locator('form.act-request_extension').getByRole('button', { name: 'Запросить продление срока' }).click();
  await page.getByText('Выполнено: Запросить продление срока.').waitFor();
  await ctx.clearCookies();

  await signIn(page, 'ui.head');
  const task = page.locator('.tasks li', { hasText: r.number });
  await task.waitFor();
  assert((await task.textContent()).includes('Мария Ким'), 'the task names the executor');
  await task.getByRole('link', { name: r.number }).click();
  await page.locator('.pending-extension').waitFor();
  await page.getByRole('button', { name: 'Продлить срок' }).click();
  assert((await page.getByLabel('Новый срок').inputValue()) === max.split('-').reverse().join('.'), 'the proposed date is filled in');
  await page.locator('form.act-extend').getByRole('button', { name: 'Продлить срок' }).click();
  await page.getByText('Выполнено: Продлить срок.').waitFor();
  await page.goto(`${BASE}/staff`);
  await page.locator('table.inbox').waitFor();
  assert(await page.locator('.tasks li', { hasText: r.number }).count() === 0, 'the decided request is no longer a task');
  return 'head-task.png';
});

test("issue 18: the governor's dashboard: figures, alert sentences, drill-down, exports", async (page) => {
  /* a problem that comes back: a satisfied answer its applicant says "no" to (issue 17) */
  const back = await fileByApi('На перекрёстке Гоголя и Ленина не работает светофор, дети переходят дорогу.');
  const head = await apiAs('ui.head');
  await head(`/api/v1/appeals/${encodeURIComponent(back.number)}/assign`, { executor: 'ui.head' });
  await head(`/api/v1/appeals/${encodeURIComponent(back.number)}/answer`, { decision: 'satisfied', text: 'Светофор отремонтирован подрядчиком, работа проверена на месте.', grounds: 'Акт выполненных работ' });
  const no = await fetch(`${BASE}/api/v1/track/${encodeURIComponent(back.number)}/verdict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: back.access_code, verdict: 'no' }) });
  assert(no.status === 200, `verdict: ${no.status}`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'ui.supervisor');
  await page.locator('table.inbox').waitFor();
  await page.waitForLoadState('networkidle');
  const requests = [];
  page.on('request', (rq) => requests.push(rq.url()));
  await page.goto(`${BASE}/dashboard`);
  await page.locator('.figures').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.charts canvas').length === 4);
  assert(!requests.some((u) => /\/api\/v1\/appeals/.test(u)), 'the dashboard downloads no appeals');
  assert(requests.filter((u) => /\/api\/v1\//.test(u) && !/session|bodies|districts|categories|calendar/.test(u)).length === 1, 'one aggregate request');
  assert(await page.locator('.figure').count() === 8, 'eight headline figures');
  /* problems actually solved (issue 17's measure), not the share of answers marked satisfied */
  const solved = await page.locator('.figure-solved_pct').innerText();
  assert(solved.includes('Проблемы решены') && /\d %/.test(solved) && /из \d+ проблем/.test(solved), `problems solved: ${solved}`);
  assert(await page.locator('table.scorecards th.col-solved_pct').count() === 1, 'the ranking shows problems solved');
  assert((await page.locator('.figure-received .figure-value').textContent()).match(/\d/), 'appeals received');
  /* the demo's Ridder receptions fell: a sentence that links to the body */
  const alert = page.locator('ul.alerts li', { hasText: 'Акимат города Риддера' }).filter({ hasText: 'личные приёмы' }).first();
  const sentence = await alert.textContent();
  assert(/в [а-я]+е \d+ личные приёмы вместо обычных ~\d+, −\d+ %/.test(sentence), `the alert reads as a sentence: ${sentence}`);
  /* and the problem that came back, in words too */
  const recur = await page.locator('ul.alerts li.alert-recurring').first().textContent();
  assert(/вернулась проблема «[^»]+»/.test(recur) && !/problem/.test(recur), `a recurring problem as a sentence: ${recur}`);
  await alert.getByRole('link').click();
  await page.waitForURL(/under=ridder/);
  await page.locator('table.inbox').waitFor();
  const body = await page.locator('table.inbox caption').textContent();
  assert(body.includes('Риддер'), `the drill-down shows the body's appeals: ${body}`);
  await page.goBack();
  await page.locator('.figures').waitFor();
  /* the ranking's body opens its appeals */
  await page.locator('table.scorecards tbody th a').first().click();
  await page.waitForURL(/under=/);
  await page.goBack();
  await page.locator('.figures').waitFor();
  /* exports for Excel: BOM, headers in the page's language, named after the report and period */
  const csv = await page.getByRole('link', { name: 'Скачать CSV' }).getAttribute('href');
  const got = await page.evaluate(async (u) => {
    const r = await fetch(u);
    const b = new Uint8Array(await r.arrayBuffer());
    return { cd: r.headers.get('Content-Disposition'), bom: [b[0], b[1], b[2]], head: new TextDecoder().decode(b.slice(3)).split('\n')[0] };
  }, csv);
  const rawCols = got.head.match(/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g);
  assert(!rawCols, `every column header translated: ${rawCols}`);
  assert(got.bom.join() === '239,187,191', 'a BOM for Excel');
  assert(got.head.startsWith('Орган,Наименование,'), `Russian headers: ${got.head}`);
  assert(/filename\*=UTF-8''/.test(got.cd) && /_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv/.test(got.cd), `named after the report and period: ${got.cd}`);
  const xlsx = await page.getByRole('link', { name: 'Скачать XLSX' }).getAttribute('href');
  const pk = await page.evaluate(async (u) => new TextDecoder().decode(new Uint8Array(await (await fetch(u)).arrayBuffer()).slice(0, 2)), xlsx);
  assert(pk === 'PK', 'an XLSX file');
  await setLang(page, 'kk');
  await page.locator('.figures').waitFor();
  const kkcsv = await page.locator('.exports a').first().getAttribute('href');
  const kkhead = await page.evaluate(async (u) => new TextDecoder().decode(new Uint8Array(await (await fetch(u)).arrayBuffer()).slice(3, 40)), kkcsv);
  assert(kkhead.startsWith('Орган,Атауы,'), `Kazakh headers: ${kkhead}`);
  await page.setViewportSize({ width: 360, height: 780 });
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('.charts canvas').length === 4);
  await fitsPhone(page, 'dashboard kk 360');
  await page.screenshot({ path: `${SHOTS}/dashboard-kk-phone.png`, fullPage: true });
  await setLang(page, 'ru');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('.charts canvas').length === 4);
  return 'dashboard.png';
});

test('a supervisor lists the chronic problems and opens one\'s timeline', async (page) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'ui.supervisor');
  await page.getByRole('link', { name: 'Хронические проблемы' }).click();
  await page.getByRole('heading', { name: 'Хронические проблемы' }).waitFor();
  /* every problem, most often raised first: the demo's chronic ones lead */
  await page.locator('select[name=state]').selectOption('');
  await page.getByLabel('Не меньше обращений').fill('1');
  await page.getByRole('button', { name: 'Показать' }).click();
  const first = page.locator('table.problems tbody tr').first().locator('th button');
  await first.waitFor();
  /* a page of 100 at a time: the next comes after the last one shown (GET /api/v1/problems'
   * keyset cursor), added under it */
  const rows = page.locator('table.problems tbody tr');
  assert(await rows.count() === 100, `the first page: ${await rows.count()} rows`);
  const top = await first.textContent();
  await page.getByRole('button', { name: 'Показать ещё' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.problems tbody tr').length > 100);
  assert(await first.textContent() === top, 'the first page stays above the next');
  await first.click();
  await page.locator('.problem-timeline li').first().waitFor();
  assert(await page.locator('.problem-timeline li a').count() >= 1, 'the timeline links its appeals');
  return 'problems.png';
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
  /* the appeal page drawn before going back: a render still under way when the route changes
   * can land after the search page's (seen once on the fresh machine) */
  await page.locator('.actions-panel').waitFor();
  await page.goBack();
  await page.locator('.search-hit', { hasText: r.number }).waitFor();
  /* a problem is found by its words and its address; its appeals open under it */
  const r2 = await fileByApi('Теплотрассу у дома прорвало, из колодца валит пар.', 'Риддер, ул. Торговая 11');
  await page.getByLabel('Слова').fill('теплотрассы торговая');
  await page.getByRole('button', { name: 'Найти' }).click();
  const prob = page.locator('.search-hit.search-problem', { hasText: 'Торговая' });
  await prob.waitFor();
  assert(await page.locator('.search-hit', { hasText: r2.number }).count() === 0, 'the appeal\'s own text does not hold the address');
  assert((await prob.locator('mark').allTextContents()).join('|') === 'Теплотрассу|Торговая', 'the problem\'s matched words marked');
  await prob.getByRole('button', { name: /Проблема/ }).click();
  await prob.locator('.problem-timeline a', { hasText: r2.number }).waitFor();
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

test('issue 16: an administrator reads the operations alerts: notices that reached nobody, bodies without a head', async (page) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'ui.admin');
  await page.getByRole('link', { name: 'Сбои и сигналы' }).click();
  await page.waitForURL(/\/staff\/operations$/);
  const rows = page.locator('main table.data tbody tr');
  await rows.first().waitFor();
  const text = await page.locator('main').innerText();
  assert(text.includes('У органа нет руководителя в системе'), 'no body without a head on the page');
  assert(/Уведомление не доставлено[^\n]*обращение [А-ЯӘІҢҒҮҰҚӨҺA-Z]+-\d{4}-\d{6}/.test(text), 'no undelivered notice with its appeal on the page');
  const api = await page.evaluate(async () => (await (await fetch('/api/v1/alerts?months=3')).json()).items.length);
  assert(api > 0 && (await rows.count()) === api, `rows ${await rows.count()}, the API's ${api}`);
  assert(await page.getByRole('link', { name: 'Скачать CSV' }).count() === 1, 'CSV export');
  await onlyWords(page, 'operations ru');
  await setLang(page, 'kk');
  await page.getByRole('heading', { name: 'Іркілістер мен белгілер', level: 1 }).waitFor();
  assert((await page.locator('main').innerText()).includes('Органның жүйеде басшысы жоқ'), 'kk: no body without a head');
  await onlyWords(page, 'operations kk');
  return 'operations.png';
});

test('issue 18: without JavaScript the page says what to do, in three languages', async (page) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  await page.goto(`${BASE}/`);
  const text = await page.locator('body').innerText();
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: false });
  assert(text.includes('JavaScript') && text.includes('Для подачи обращения') && text.includes('Өтініш беру үшін'), `the no-JavaScript message: ${text}`);
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

/* A staff session for API calls of the test's own (Bearer: no cookie, no CSRF). */
async function apiAs(login) {
  const r = await fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: PW }) });
  assert(r.status === 200, `login ${login}: ${r.status}`);
  const { token } = await r.json();
  return async (path, body) => {
    const x = await fetch(`${BASE}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    assert(x.status === 200, `POST ${path}: ${x.status}`);
  };
}

/* GET as a staff member (Bearer), the JSON answer. */
async function getAs(login, path) {
  const r = await fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password: PW }) });
  assert(r.status === 200, `login ${login}: ${r.status}`);
  const { token } = await r.json();
  const x = await fetch(`${BASE}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert(x.status === 200, `GET ${path}: ${x.status}`);
  return x.json();
}

test("a head requires his approval: the executor's answer waits, the head approves it", async (page, ctx) => {
  const head = await apiAs('ui.head');
  await head('/api/v1/bodies/ridder.housing/settings', { answer_approval: true });
  try {
    const r = await fileByApi('В подъезде дома Гоголя 5 не работает отопление третий день.');
    await head(`/api/v1/appeals/${encodeURIComponent(r.number)}/assign`, { executor: 'ui.executor' });
    await signIn(page, 'ui.executor');
    await page.goto(`${BASE}/staff/appeal/${encodeURIComponent(r.number)}`);
    await page.getByRole('button', { name: 'Дать ответ' }).click();
    await page.getByLabel('Решение').selectOption('explained');
    await page.getByLabel('Текст ответа').fill('Отопление в подъезде восстановлено, причина — завоздушивание стояка.');
    await page.getByLabel('Правовые основания').fill('Акт осмотра от 2-го числа; Правила теплоснабжения');
    await page.locator('form.act-answer').getByRole('button', { name: 'Дать ответ' }).click();
    await page.getByText('Выполнено: Дать ответ.').waitFor();
    await page.locator('.awaiting-approval').waitFor();
    assert((await page.locator('.awaiting-approval').textContent()).includes('завоздушивание'), 'the held answer is shown');
    assert(await page.getByRole('button', { name: 'Утвердить ответ' }).count() === 0, 'an executor cannot approve');
    assert(await page.getByRole('button', { name: 'Дать ответ' }).count() === 0, 'no second answer while one waits');
    await ctx.clearCookies();

    await signIn(page, 'ui.head');
    await page.goto(`${BASE}/staff/appeal/${encodeURIComponent(r.number)}`);
    await page.locator('.awaiting-approval').waitFor();
    await page.getByRole('button', { name: 'Утвердить ответ' }).click();
    await page.locator('form.act-approve').getByRole('button', { name: 'Утвердить ответ' }).click();
    await page.getByText('Выполнено: Утвердить ответ.').waitFor();
    assert(await page.locator('.awaiting-approval').count() === 0, 'no longer waiting');
    assert((await page.locator('.panel.answer').textContent()).includes('завоздушивание'), 'the answer is out');
    assert((await page.locator('.timeline').textContent()).includes('Утвердить ответ'), 'the approval is in the history');
  } finally {
    await head('/api/v1/bodies/ridder.housing/settings', { answer_approval: false });
  }
  return 'head-approved.png';
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
/* ONLY=words runs the tests whose name contains them (while working on one) */
if (process.env.ONLY) tests.splice(0, tests.length, ...tests.filter((x) => x.name.includes(process.env.ONLY)));
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
    /* the app's start remembers the language it read (setLang) once its dictionary came: a
     * clear before that was undone, and the test ran in the previous test's language */
    await page.goto(`${BASE}/`);
    await page.locator('main h1').first().waitFor();
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
