/* The OpenAPI document against the real server (issue 21, point 5).
 *
 * The document the server serves (GET /api/v1/openapi.json, docs/openapi.yaml compiled in) is
 * validated against the OpenAPI 3.1 schema; its paths are compared with the server's route
 * table (src/http/routes.c); then every route is called the way clients call it, successes and
 * failures, and each reply is checked against the document by @hyperjump/json-schema's
 * OpenAPI 3.1 dialect: its status must be documented for the operation, its Content-Type must
 * be one of the documented media types, its documented headers must be there, and a JSON body
 * must validate against the documented schema. Every operation must have been answered with
 * success at least once. One TAP line per operation, plus the document's own checks. */
import { validate } from '@hyperjump/json-schema/openapi-3-1';
import { BASIC } from '@hyperjump/json-schema/experimental';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const BASE = process.env.BASE_URL;
const PW = process.env.PASSWORD;
const ROOT = process.env.ROOT || '.';
const TMP = process.env.TMP || '/tmp';
const DB = process.env.DB;

let n = 0;
let failures = 0;
function tap(ok, name, detail) {
  n++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok) {
    failures++;
    for (const line of String(detail || '').split('\n').slice(0, 40)) console.log(`# ${line}`);
  }
}

/* A reply holds what the check needs, so the documented shape was really exercised. */
const holds = (cond, name, reply) => tap(!!cond, `reply: ${name}`, JSON.stringify(reply?.json ?? reply)?.slice(0, 600));

/* ==== The document ==== */

const docReply = await fetch(`${BASE}/api/v1/openapi.json`);
const doc = await docReply.json();
const DOC_FILE = join(TMP, 'otinish.openapi.json'); /* the suffix makes it an OpenAPI document */
writeFileSync(DOC_FILE, JSON.stringify(doc));
const DOC_URI = `file://${DOC_FILE}`;

{
  const out = await validate('https://spec.openapis.org/oas/3.1/schema-base', doc, BASIC);
  tap(out.valid, 'openapi: the served document is valid OpenAPI 3.1 (schema-base dialect)',
    JSON.stringify(out.errors?.slice(0, 10), null, 1));
  tap(doc.openapi.startsWith('3.1'), `openapi: version ${doc.openapi}`);
  const health = await (await fetch(`${BASE}/healthz`)).json();
  tap(doc.info.version === health.version, `openapi: info.version ${doc.info.version} is the server's (/healthz ${health.version})`);
}

/* The route table of the server against the document's paths: none missing on either side. */
{
  const table = readFileSync(join(ROOT, 'src/http/routes.c'), 'utf8');
  const routes = [...table.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)", "([^"]+)"/g)]
    .map((m) => `${m[1]} ${m[2]}`)
    .filter((r) => / \/(api\/v1\/|healthz|metrics)/.test(r));
  const documented = [];
  for (const [p, item] of Object.entries(doc.paths))
    for (const m of Object.keys(item)) if (['get', 'post', 'put', 'patch', 'delete'].includes(m)) documented.push(`${m.toUpperCase()} ${p}`);
  const missing = routes.filter((r) => !documented.includes(r));
  const extra = documented.filter((r) => !routes.includes(r));
  tap(missing.length === 0 && extra.length === 0 && routes.length > 30,
    `openapi: the document has every route of src/http/routes.c (${routes.length}) and no other`,
    `not documented: ${missing.join(', ')}\nnot served: ${extra.join(', ')}`);
}

/* ==== Calling the server and checking each reply ==== */

const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
/* A JSON pointer into the document, through a response's $ref to components. */
function responsePointer(template, method, status) {
  const op = doc.paths[template]?.[method.toLowerCase()];
  if (!op) return null;
  const key = op.responses[String(status)] ? String(status) : op.responses.default ? 'default' : null;
  if (!key) return null;
  let r = op.responses[key];
  let ptr = `#/paths/${esc(template)}/${method.toLowerCase()}/responses/${key}`;
  while (r.$ref) {
    ptr = r.$ref;
    r = r.$ref.split('/').slice(1).reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return { ptr, r };
}

const results = new Map(); /* "METHOD template" -> {calls, failed: [], ok2xx} */
function record(key, ok, why, status) {
  if (!results.has(key)) results.set(key, { calls: 0, failed: [], ok2xx: false, statuses: new Set() });
  const e = results.get(key);
  e.calls++;
  e.statuses.add(status);
  if (!ok) e.failed.push(why);
  if (ok && status >= 200 && status < 300) e.ok2xx = true;
}

/* Checks one reply against the response object found at ptr. */
async function checkReply(res, text, found) {
  const problems = [];
  const ct = (res.headers.get('content-type') || '').split(';')[0].trim();
  const content = found.r.content;
  if (content) {
    if (!content[ct]) problems.push(`Content-Type ${ct} is not one of ${Object.keys(content).join(', ')}`);
    else if (ct === 'application/json') {
      let body;
      try {
        body = JSON.parse(text);
      } catch (e) {
        problems.push(`not JSON: ${text.slice(0, 200)}`);
      }
      if (body !== undefined) {
        const schema = `${DOC_URI}${encodeURI(`${found.ptr}/content/application~1json/schema`)}`;
        const out = await validate(schema, body, BASIC);
        if (!out.valid)
          problems.push(`body does not match ${found.ptr}:\n` +
            out.errors.slice(0, 12).map((e) => `  ${e.instanceLocation} ${e.absoluteKeywordLocation.replace(/^.*#/, '#')}`).join('\n') +
            `\n  reply: ${text.slice(0, 600)}`);
      }
    }
  } else if (text.length) problems.push(`a body where none is documented: ${text.slice(0, 200)}`);
  for (const h of Object.keys(found.r.headers || {}))
    if (!res.headers.get(h)) problems.push(`no ${h} header`);
  return problems;
}

const deref = (x) => (x && x.$ref ? x.$ref.split('/').slice(1).reduce((o, k) => o[k], doc) : x);

/* The request side: every query parameter sent is documented for the operation, and a JSON
 * body that the server accepted (2xx) is valid against the documented request body. */
async function checkRequest(template, method, o, status) {
  const problems = [];
  const item = doc.paths[template];
  const op = item?.[method.toLowerCase()];
  if (!op) return problems;
  const params = [...(item.parameters || []), ...(op.parameters || [])].map(deref);
  for (const name of Object.keys(o.query || {}))
    if (!params.some((p) => p.in === 'query' && p.name === name)) problems.push(`query parameter ${name} is not documented`);
  for (const name of Object.keys(o.params || {}))
    if (!params.some((p) => p.in === 'path' && p.name === name)) problems.push(`path parameter ${name} is not documented`);
  for (const p of params)
    if (p.required && p.in === 'query' && status >= 200 && status < 300 && !(o.query && p.name in o.query))
      problems.push(`required query parameter ${p.name} was not sent, yet the call succeeded`);
  if (o.json !== undefined && status >= 200 && status < 300) {
    if (!op.requestBody?.content?.['application/json']) problems.push('a JSON body where none is documented');
    else {
      const ptr = `#/paths/${esc(template)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`;
      const out = await validate(`${DOC_URI}${encodeURI(ptr)}`, o.json, BASIC);
      if (!out.valid)
        problems.push(`the accepted request body does not match ${ptr}:\n` +
          out.errors.slice(0, 8).map((e) => `  ${e.instanceLocation} ${e.absoluteKeywordLocation.replace(/^.*#/, '#')}`).join('\n'));
    }
  }
  return problems;
}

/* call(method, template, {params, query, headers, json, body, token, expect}) -> {status, json, text, headers} */
async function call(method, template, o = {}) {
  let path = template;
  for (const [k, v] of Object.entries(o.params || {})) path = path.replace(`{${k}}`, encodeURIComponent(v));
  const qs = o.query ? `?${new URLSearchParams(o.query)}` : '';
  const headers = { ...(o.headers || {}) };
  if (o.token) headers.Authorization = `Bearer ${o.token}`;
  let body = o.body;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(`${BASE}${path}${qs}`, { method, headers, body });
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  const key = `${method} ${template}`;
  const found = o.component ? { ptr: o.component, r: o.component.split('/').slice(1).reduce((x, k) => x[k], doc) }
    : responsePointer(template, method, res.status);
  let problems = [];
  if (!found) problems.push(`status ${res.status} is not documented for ${key}: ${text.slice(0, 300)}`);
  else problems = await checkReply(res, text, found);
  if (!o.component) problems.push(...(await checkRequest(template, method, o, res.status)));
  if (o.expect && res.status !== o.expect) problems.push(`expected ${o.expect}, got ${res.status}: ${text.slice(0, 300)}`);
  record(o.component ? `${key} (${o.component})` : key, problems.length === 0,
    `${method} ${path}${qs} -> ${res.status}\n${problems.join('\n')}`, res.status);
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text, headers: res.headers, buf };
}

async function login(l) {
  const r = await call('POST', '/api/v1/session', { json: { login: l, password: PW }, expect: 200 });
  return r.json?.token;
}

/* ==== Service and reference data ==== */

await call('GET', '/healthz', { expect: 200 });
await call('GET', '/metrics', { expect: 200 });
await call('GET', '/api/v1/openapi.json', { expect: 200 });
await call('GET', '/api/v1/calendar/{year}', { params: { year: '2026' }, expect: 200 });
await call('GET', '/api/v1/calendar/{year}', { params: { year: '2029' }, expect: 200 });
await call('GET', '/api/v1/calendar/{year}', { params: { year: '2026' }, query: { jurisdiction: 'ru' }, expect: 200 });
await call('GET', '/api/v1/calendar/{year}', { params: { year: 'abc' }, expect: 422 });
await call('GET', '/api/v1/calendar/{year}', { params: { year: '2026' }, query: { jurisdiction: 'xx' }, expect: 422 });
await call('GET', '/api/v1/calendar/{year}', { params: { year: '2090' }, expect: 422 });
const RECEIVED = '2026-03-20T10:00:00+05:00';
await call('GET', '/api/v1/deadline', { query: { kind: 'statement', received: RECEIVED }, expect: 200 });
await call('GET', '/api/v1/deadline', { query: { kind: 'complaint', received: RECEIVED, body: 'ridder' }, expect: 200 });
await call('GET', '/api/v1/deadline', { query: { received: RECEIVED }, expect: 422 });
await call('GET', '/api/v1/deadline', { query: { kind: 'statement', received: 'yesterday' }, expect: 422 });
await call('GET', '/api/v1/deadline', { query: { kind: 'statement', received: RECEIVED, body: 'no.such.body' } });
await call('GET', '/api/v1/bodies', { expect: 200 });
await call('GET', '/api/v1/districts', { expect: 200 });
await call('GET', '/api/v1/categories', { expect: 200 });

/* ==== Sessions ==== */

const T = {};
for (const who of ['registrar', 'head', 'executor', 'supervisor', 'auditor', 'admin', 'head2']) T[who] = await login(`ct.${who}`);
await call('POST', '/api/v1/session', { json: { login: 'ct.head', password: 'wrong password 1' }, expect: 401 });
await call('POST', '/api/v1/session', { json: { login: 'ct.head', password: PW, role: 'admin' }, expect: 422 });
await call('POST', '/api/v1/session', { body: '{"login":', headers: { 'Content-Type': 'application/json' }, expect: 400 });
await call('POST', '/api/v1/session', { body: '', headers: { 'Content-Type': 'application/json' }, expect: 400 });
await call('POST', '/api/v1/session', { body: 'login=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, expect: 415 });
await call('POST', '/api/v1/session', { json: { login: 'ct.head', password: PW, new_password: 'short' }, expect: 422 });
for (let i = 0; i < 6; i++) await call('POST', '/api/v1/session', { json: { login: 'nobody.here', password: `guess ${i}` } });
await call('POST', '/api/v1/session', { json: { login: 'nobody.here', password: 'guess 7' }, expect: 429 });
await call('GET', '/api/v1/session', { token: T.head, expect: 200 });
await call('GET', '/api/v1/session', { expect: 401 });
await call('GET', '/api/v1/session', { token: 'not-a-token', expect: 401 });
{
  const t = await login('ct.auditor');
  await call('DELETE', '/api/v1/session', { token: t, expect: 200 });
  await call('GET', '/api/v1/session', { token: t, expect: 401 });
  /* a cookie without the CSRF header cannot change state */
  const c = await call('POST', '/api/v1/session', { json: { login: 'ct.auditor', password: PW }, expect: 200 });
  await call('DELETE', '/api/v1/session', { headers: { Cookie: `otinish_session=${c.json.token}` }, expect: 403 });
  T.auditor = c.json.token;
}

/* ==== Appeals ==== */

const applicant = { type: 'individual', full_name: 'Петров Пётр Петрович', iin: '850505400018', phone: '+77051234567', postal_address: 'Риддер, ул. Гоголя 5, кв. 2' };
const heating = (text, extra = {}) => ({ kind: 'statement', category: 'heating', district: 'ridder', language: 'ru', text, address: 'Риддер, ул. Гоголя 5', applicant, ...extra });
const A1 = (await call('POST', '/api/v1/appeals', { json: heating('В подъезде дома 5 третий день холодные батареи.', { lat: 50.34, lon: 83.51 }), expect: 201 })).json;
const A2 = (await call('POST', '/api/v1/appeals', { json: heating('Во дворе дома 5 не вывозят мусор уже неделю.'), expect: 201 })).json;
const A3 = (await call('POST', '/api/v1/appeals', { json: heating('Прошу проверить расчёт платы за отопление за ноябрь.'), expect: 201 })).json;
const A4 = (await call('POST', '/api/v1/appeals', { json: heating('Прошу заменить лампы в подъезде дома 5, темно.'), expect: 201 })).json;
await call('POST', '/api/v1/appeals', {
  token: T.registrar, expect: 201,
  json: { ...heating('Звонок: нет горячей воды в доме 7 по ул. Гоголя.'), channel: 'phone', addressed_to: 'ridder' },
});
await call('POST', '/api/v1/appeals', {
  expect: 201,
  json: { ...heating('Коллективное обращение жильцов дома 5 об отоплении.'), applicant: { type: 'collective', full_name: 'Петров Пётр', phone: '+77051234567', signatures: [{ name: 'Петров Пётр', iin: '850505400018' }, { name: 'Иванова Анна' }] } },
});
await call('POST', '/api/v1/appeals', { json: heating('x', { colour: 'red' }), expect: 422 });
await call('POST', '/api/v1/appeals', { json: heating('Текст', { applicant: { ...applicant, iin: '850505400019' } }), expect: 422 });
await call('POST', '/api/v1/appeals', { json: [1, 2], expect: 400 });
await call('POST', '/api/v1/appeals', { body: 'x'.repeat(1100000), headers: { 'Content-Type': 'application/json' }, expect: 413 });
await call('POST', '/api/v1/appeals', { json: { ...heating('По телефону'), channel: 'phone' }, expect: 401 });
await call('POST', '/api/v1/appeals', { json: heating('Жалоба', { kind: 'complaint', complaint_of: A1.number, access_code: A1.access_code }), expect: 409 });

await call('GET', '/api/v1/appeals', { token: T.head, expect: 200 });
const page = await call('GET', '/api/v1/appeals', { token: T.supervisor, query: { limit: '2', status: 'registered' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.supervisor, query: { limit: '2', after: page.json?.next ?? '1' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { overdue: '1', district: 'ridder', due_after: '2026-01-01', received_from: '2026-01-01T00:00:00+05:00' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { format: 'csv' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { format: 'xlsx', status: 'answered' }, expect: 200 });
/* the work queue (issue 18): open appeals by due date, the tabs' counts, a subtree; exports for people */
const queue = await call('GET', '/api/v1/appeals', { token: T.head, query: { sort: 'due', counts: '1', under: 'ridder', limit: '2' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { sort: 'due', limit: '2', after: queue.json?.next ?? '2026-01-01.1' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.supervisor, query: { sort: 'due', counts: '1', category: 'heating' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { sort: 'due', after: '12' }, expect: 422 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { sort: 'oldest' }, expect: 422 });
/* the overdue list (issue 23): by due date, the queue's cursor; not newest first */
const overdue = await call('GET', '/api/v1/appeals', { token: T.supervisor, query: { overdue: '1', limit: '1' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.supervisor, query: { overdue: '1', limit: '1', after: overdue.json?.next ?? '2026-01-01.1' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.supervisor, query: { overdue: '1', sort: 'new' }, expect: 422 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { under: 'no.such.body' }, expect: 422 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { under: 'vko' }, expect: 403 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { format: 'csv', lang: 'kk' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { format: 'xlsx', lang: 'en' }, expect: 200 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { format: 'csv', lang: 'de' }, expect: 422 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { format: 'pdf' }, expect: 422 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { limit: '0' }, expect: 422 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { status: 'lost' }, expect: 422 });
await call('GET', '/api/v1/appeals', { token: T.head, query: { due_before: '1 May' }, expect: 422 });
await call('GET', '/api/v1/appeals', { expect: 401 });

const N = (a) => ({ number: a.number_ascii });
await call('GET', '/api/v1/appeals/{number}', { token: T.head, params: N(A1), expect: 200 });
await call('GET', '/api/v1/appeals/{number}', { token: T.head, params: { number: A1.number }, query: { unmask: '1' }, expect: 200 });
await call('GET', '/api/v1/appeals/{number}', { token: T.head, params: { number: 'Z-2026-999999' }, expect: 404 });
await call('GET', '/api/v1/appeals/{number}', { token: T.admin, params: N(A1), expect: 404 });
await call('GET', '/api/v1/appeals/{number}', { params: N(A1), expect: 401 });

/* attachments: the citizen with the code, staff read them */
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f3c1a50000000049454e44ae426082', 'hex');
const att = await call('POST', '/api/v1/appeals/{number}/attachments', { params: N(A1), query: { name: 'photo.png', code: A1.access_code }, headers: { 'Content-Type': 'image/png' }, body: png, expect: 201 });
await call('POST', '/api/v1/appeals/{number}/attachments', { params: N(A1), query: { name: 'fake.pdf', code: A1.access_code }, headers: { 'Content-Type': 'application/pdf' }, body: png, expect: 422 });
await call('POST', '/api/v1/appeals/{number}/attachments', { params: N(A1), query: { name: 'x.png', code: 'WRONGCODE123' }, headers: { 'Content-Type': 'image/png' }, body: png, expect: 404 });
await call('GET', '/api/v1/appeals/{number}/attachments', { token: T.head, params: N(A1), expect: 200 });
await call('GET', '/api/v1/appeals/{number}/attachments/{sha256}', { token: T.head, params: { ...N(A1), sha256: att.json?.sha256 || 'x' }, expect: 200 });
await call('GET', '/api/v1/appeals/{number}/attachments/{sha256}', { token: T.head, params: { ...N(A1), sha256: '0'.repeat(64) }, expect: 404 });

/* actions */
const act = (a, action, token, json, expect) => call('POST', '/api/v1/appeals/{number}/{action}', { token, params: { ...N(a), action }, json, expect });
await act(A1, 'assign', T.head, { executor: 'ct.executor' }, 200);
await call('POST', '/api/v1/appeals/{number}/{action}', { token: T.executor, params: { ...N(A1), action: 'start' }, expect: 200 });
await act(A1, 'start', T.executor, {}, 409);
await act(A1, 'answer', T.executor, { decision: 'satisfied', text: 'ок', grounds: 'Правила' }, 422);
const ANSWER = 'Отопление в подъезде дома 5 восстановлено, батареи прогреты, давление в системе в норме.';
await act(A1, 'answer', T.executor, { decision: 'satisfied', text: ANSWER, grounds: 'Акт осмотра; Правила теплоснабжения, п. 12.' }, 200);
/* a complaint needs only the number, the access code and its text (issue 18): the server
 * takes the applicant, topic, place and language from the appeal complained about */
{
  const c = await call('POST', '/api/v1/appeals', { json: { kind: 'complaint', complaint_of: A1.number, access_code: A1.access_code, text: 'Не согласен с ответом: в подъезде снова холодно.' }, expect: 201 });
  const full = (await call('GET', '/api/v1/appeals/{number}', { token: T.supervisor, params: { number: c.json?.number ?? 'x' }, query: { unmask: '1' }, expect: 200 })).json;
  holds(full?.applicant?.name === applicant.full_name && full?.category === 'heating' && full?.complaint_of === A1.number, 'the complaint carries the applicant of the appeal complained about', full);
  await call('POST', '/api/v1/appeals', { json: { kind: 'complaint', text: 'Жалоба без номера' }, expect: 422 });
}
await act(A1, 'fly', T.head, {}, 404);
await act(A1, 'close', T.head, { reason: 1 }, 422);
await act(A2, 'extend', T.head, { due_on: '2099-01-01', reason: 'Нужна экспертиза' }, 422);
{
  const full = (await call('GET', '/api/v1/appeals/{number}', { token: T.head, params: N(A2), expect: 200 })).json;
  await act(A2, 'extend', T.head, { due_on: full.max_due_on, reason: 'Нужна экспертиза теплосети' }, 200);
}
await act(A2, 'suspend', T.head, { reason: 'Запрос в теплоснабжающую организацию' }, 200);
await act(A2, 'resume', T.head, {}, 200);
await act(A2, 'control', T.supervisor, { personal: true }, 200);
await act(A3, 'forward', T.head, { body: 'vko.housing', reason: 'Тарифы — компетенция области', part_text: 'Проверить расчёт платы за отопление.' }, 200);
await act(A4, 'return_unconsidered', T.head, { reason: 'no_content' }, 200);
await act(A4, 'terminate', T.head, { reason: 'withdrawn' }, 409);
await call('POST', '/api/v1/appeals/{number}/{action}', { token: T.head, params: { ...N(A2), action: 'extend' }, body: '{}', headers: { 'Content-Type': 'text/plain' }, expect: 415 });

const hist = await call('GET', '/api/v1/appeals/{number}/history', { token: T.head, params: N(A1), expect: 200 });
holds(hist.json?.events?.some((e) => e.executor_person?.name === 'Мария Ким' && e.actor_person?.name === 'Ерлан Садықов'), 'the history names the assigned executor and the head who acted', hist);
await call('GET', '/api/v1/appeals/{number}/history', { token: T.head, params: { number: 'Z-2026-999999' }, expect: 404 });

/* the citizen */
await call('GET', '/api/v1/track/{number}', { params: N(A1), query: { code: A1.access_code }, expect: 200 });
await call('GET', '/api/v1/track/{number}', { params: { number: A2.number }, query: { code: A2.access_code.toLowerCase() }, expect: 200 });
await call('GET', '/api/v1/track/{number}', { params: N(A1), query: { code: 'AAAABBBBCCCC' }, expect: 404 });
await call('POST', '/api/v1/track/{number}/rating', { params: N(A2), json: { code: A2.access_code, rating: 5 }, expect: 409 });
await call('POST', '/api/v1/track/{number}/rating', { params: N(A1), json: { code: A1.access_code, rating: 9 }, expect: 422 });
await call('POST', '/api/v1/track/{number}/rating', { params: N(A1), json: { code: A1.access_code, rating: 4, comment: 'Спасибо' }, expect: 200 });
/* "Was your problem solved?" (issue 17): the applicant's verdict, once, after the answer */
await call('POST', '/api/v1/track/{number}/verdict', { params: N(A2), json: { code: A2.access_code, verdict: 'yes' }, expect: 409 });
await call('POST', '/api/v1/track/{number}/verdict', { params: N(A1), json: { code: A1.access_code, verdict: 'maybe' }, expect: 422 });
await call('POST', '/api/v1/track/{number}/verdict', { params: N(A1), json: { code: 'AAAABBBBCCCC', verdict: 'no' }, expect: 404 });
await call('POST', '/api/v1/track/{number}/verdict', { token: T.head, params: N(A1), json: { code: A1.access_code, verdict: 'yes' }, expect: 403 });
await call('POST', '/api/v1/track/{number}/verdict', { params: N(A1), body: 'verdict=no', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, expect: 415 });
await call('POST', '/api/v1/track/{number}/verdict', { params: N(A1), json: { code: A1.access_code, verdict: 'no', comment: 'Батареи снова холодные' }, expect: 200 });
await call('POST', '/api/v1/track/{number}/verdict', { params: N(A1), json: { code: A1.access_code, verdict: 'yes' }, expect: 409 });
await call('GET', '/api/v1/track/{number}', { params: N(A1), query: { code: A1.access_code }, expect: 200 });
await call('GET', '/api/v1/appeals/{number}', { token: T.head, params: N(A1), expect: 200 });

/* ==== The head's approval, notices (issue 16); the picker, tasks, the caller's appeals (issue 18) ==== */

const A5 = (await call('POST', '/api/v1/appeals', { json: heating('Батареи в квартире 12 дома 5 чуть тёплые, прошу проверить отопление.'), expect: 201 })).json;
await act(A5, 'assign', T.head, { executor: 'ct.executor' }, 200);
await act(A5, 'start', T.executor, {}, 200);
{
  const full = (await call('GET', '/api/v1/appeals/{number}', { token: T.executor, params: N(A5), expect: 200 })).json;
  await act(A5, 'request_extension', T.executor, { due_on: full?.max_due_on, reason: 'Нужен акт обследования теплосети' }, 200);
}
const tasks = await call('GET', '/api/v1/tasks', { token: T.head, expect: 200 });
holds(tasks.json?.items?.some((t) => t.number === A5.number && t.kind === 'extension_request' && t.by?.name === 'Мария Ким'), 'the head\'s tasks hold the executor\'s extension request, by name', tasks);
await call('GET', '/api/v1/tasks', { token: T.supervisor, expect: 200 });
await call('GET', '/api/v1/tasks', { token: T.executor, expect: 200 });
await call('GET', '/api/v1/tasks', { expect: 401 });
const picker = await call('GET', '/api/v1/executors', { token: T.head, expect: 200 });
holds(picker.json?.items?.some((e) => e.login === 'ct.executor' && e.open >= 1), 'the picker lists ct.executor with open appeals', picker);
await call('GET', '/api/v1/executors', { token: T.supervisor, query: { body: 'ridder.housing' }, expect: 200 });
await call('GET', '/api/v1/executors', { token: T.head, query: { body: 'no.such.body' }, expect: 404 });
await call('GET', '/api/v1/executors', { token: T.head, query: { body: 'vko' }, expect: 403 });
await call('GET', '/api/v1/executors', { token: T.executor, expect: 403 });
const byIin = await call('GET', '/api/v1/applicants/{iin}/appeals', { token: T.registrar, params: { iin: applicant.iin }, expect: 200 });
holds(byIin.json?.items?.length > 0, 'the applicant\'s earlier appeals are found by IIN', byIin);
await call('GET', '/api/v1/applicants/{iin}/appeals', { token: T.supervisor, params: { iin: '000000000000' }, expect: 200 });
await call('GET', '/api/v1/applicants/{iin}/appeals', { token: T.registrar, params: { iin: '8505' }, expect: 422 });
await call('GET', '/api/v1/applicants/{iin}/appeals', { token: T.executor, params: { iin: applicant.iin }, expect: 403 });
/* the head approves the answers of ridder.housing before they go out */
await call('GET', '/api/v1/bodies/{id}/settings', { token: T.executor, params: { id: 'ridder.housing' }, expect: 200 });
await call('GET', '/api/v1/bodies/{id}/settings', { token: T.head, params: { id: 'no.such.body' }, expect: 404 });
await call('GET', '/api/v1/bodies/{id}/settings', { params: { id: 'ridder' }, expect: 401 });
await call('POST', '/api/v1/bodies/{id}/settings', { token: T.executor, params: { id: 'ridder.housing' }, json: { answer_approval: true }, expect: 403 });
await call('POST', '/api/v1/bodies/{id}/settings', { token: T.head, params: { id: 'ridder.housing' }, json: { answer_approval: 'yes' }, expect: 422 });
await call('POST', '/api/v1/bodies/{id}/settings', { token: T.head, params: { id: 'ridder.housing' }, json: {}, expect: 422 });
await call('POST', '/api/v1/bodies/{id}/settings', { token: T.head, params: { id: 'no.such.body' }, json: { answer_approval: true }, expect: 404 });
await call('POST', '/api/v1/bodies/{id}/settings', { token: T.head, params: { id: 'ridder.housing' }, json: { answer_approval: true }, expect: 200 });
const ANSWER5 = 'Проведено обследование, в квартире 12 дома 5 заменён стояк, батареи прогреваются полностью.';
await act(A5, 'approve', T.head, {}, 409);
await act(A5, 'answer', T.executor, { decision: 'satisfied', text: ANSWER5, grounds: 'Акт обследования от 1 декабря.' }, 200);
const held = await call('GET', '/api/v1/appeals/{number}', { token: T.head, params: N(A5), expect: 200 });
holds(held.json?.status === 'in_work' && held.json?.awaiting_approval?.submitted_by?.login === 'ct.executor', 'the held answer shows on the appeal page (awaiting_approval)', held);
await act(A5, 'answer', T.executor, { decision: 'satisfied', text: ANSWER5, grounds: 'Акт обследования от 1 декабря.' }, 409);
const approvals = await call('GET', '/api/v1/approvals', { token: T.head, expect: 200 });
holds(approvals.json?.items?.some((x) => x.number === A5.number), 'the head\'s approval queue holds the answer', approvals);
await call('GET', '/api/v1/approvals', { token: T.executor, query: { limit: '10' }, expect: 200 });
await call('GET', '/api/v1/approvals', { token: T.head, query: { limit: '0' }, expect: 422 });
await call('GET', '/api/v1/approvals', { token: T.admin, expect: 403 });
await act(A5, 'return_answer', T.head, { reason: 'Приложите акт обследования к ответу' }, 200);
await act(A5, 'answer', T.executor, { decision: 'satisfied', text: ANSWER5, grounds: 'Акт обследования от 1 декабря, приложен.' }, 200);
await act(A5, 'return_answer', T.executor, { reason: 'нет' }, 403);
await act(A5, 'approve', T.head, {}, 200);
await call('POST', '/api/v1/bodies/{id}/settings', { token: T.head, params: { id: 'ridder.housing' }, json: { answer_approval: false }, expect: 200 });
const notices = await call('GET', '/api/v1/appeals/{number}/notices', { token: T.head, params: N(A5), expect: 200 });
holds(notices.json?.items?.some((x) => x.to === 'applicant') && notices.json?.items?.some((x) => x.to.startsWith('user:')), 'the notices record the applicant\'s and the staff\'s', notices);
await call('GET', '/api/v1/appeals/{number}/notices', { token: T.head, params: { number: 'Z-2026-999999' }, expect: 404 });
await call('GET', '/api/v1/appeals/{number}/notices', { params: N(A5), expect: 401 });

/* ==== Search (issue 17) ==== */

const found = await call('GET', '/api/v1/search', { token: T.head, query: { q: 'батареи' }, expect: 200 });
holds(found.json?.items?.some((h) => h.fragment.some((p) => p.hit)), 'search finds the appeals, the matched words marked', found);
const hits = await call('GET', '/api/v1/search', { token: T.supervisor, query: { q: 'отопление', kind: 'appeal', status: 'registered', limit: '1' }, expect: 200 });
await call('GET', '/api/v1/search', { token: T.supervisor, query: { q: 'отопление', limit: '1', offset: String(hits.json?.next ?? 1) }, expect: 200 });
await call('GET', '/api/v1/search', { token: T.head, query: { q: 'стояк', kind: 'answer', body: 'ridder' }, expect: 200 });
await call('GET', '/api/v1/search', { token: T.executor, query: { q: 'батареи' }, expect: 200 });
const probs = await call('GET', '/api/v1/search', { token: T.head, query: { q: 'батареи', kind: 'problem' }, expect: 200 });
holds(probs.json?.items?.length > 0 && probs.json.items.every((h) => h.kind === 'problem' && h.href === `/api/v1/problems/${h.problem}`), 'search finds problems, each with its link', probs);
await call('GET', '/api/v1/search', { token: T.head, expect: 422 });
await call('GET', '/api/v1/search', { token: T.head, query: { q: '?!' }, expect: 422 });
await call('GET', '/api/v1/search', { token: T.head, query: { q: 'батареи', kind: 'letter' }, expect: 422 });
await call('GET', '/api/v1/search', { token: T.head, query: { q: 'батареи', limit: '101' }, expect: 422 });
await call('GET', '/api/v1/search', { token: T.head, query: { q: 'батареи', status: 'shut' }, expect: 422 });
await call('GET', '/api/v1/search', { token: T.admin, query: { q: 'батареи' }, expect: 403 });
await call('GET', '/api/v1/search', { query: { q: 'батареи' }, expect: 401 });

/* ==== Problems (issue 17) ==== */

/* a second appeal on the same problem as A1 (the same category, address and words) */
const A6 = (await call('POST', '/api/v1/appeals', { json: heating('В подъезде дома 5 холодные батареи уже четвёртый день.', { lat: 50.34, lon: 83.51 }), expect: 201 })).json;
await call('GET', '/api/v1/problems', { token: T.head, expect: 200 });
await call('GET', '/api/v1/problems', { token: T.supervisor, query: { state: 'recurring', min_appeals: '1', sort: 'appeals', since: '2026-01-01', limit: '5', after: '1.0.1', category: 'heating', district: 'ridder', body: 'ridder' }, expect: 200 });
const byAge = await call('GET', '/api/v1/problems', { token: T.head, query: { sort: 'age', limit: '1' }, expect: 200 });
await call('GET', '/api/v1/problems', { token: T.head, query: { sort: 'age', limit: '1', after: byAge.json?.next ?? '0.1' }, expect: 200 });
await call('GET', '/api/v1/problems', { token: T.head, query: { after: 'page-2' }, expect: 422 });
await call('GET', '/api/v1/problems', { token: T.head, query: { sort: 'loud' }, expect: 422 });
await call('GET', '/api/v1/problems', { token: T.head, query: { state: 'solved' }, expect: 422 });
await call('GET', '/api/v1/problems', { token: T.head, query: { limit: '0' }, expect: 422 });
await call('GET', '/api/v1/problems', { token: T.head, query: { since: 'spring' }, expect: 422 });
await call('GET', '/api/v1/problems', { token: T.admin, expect: 403 });
await call('GET', '/api/v1/problems', { expect: 401 });
{
  const a1 = (await call('GET', '/api/v1/appeals/{number}', { token: T.head, params: N(A1), expect: 200 })).json;
  const a6 = (await call('GET', '/api/v1/appeals/{number}', { token: T.head, params: N(A6), expect: 200 })).json;
  const P = String(a1?.problem_id ?? 1);
  const pact = (action, json, expect, token = T.head) => call('POST', '/api/v1/problems/{id}/{action}', { token, params: { id: P, action }, json, expect });
  const prob = await call('GET', '/api/v1/problems/{id}', { token: T.head, params: { id: P }, expect: 200 });
  holds(prob.json?.state === 'recurring' && prob.json?.timeline?.some((e) => e.number === A1.number && e.verdict === 'no'), 'A1\'s "no" on a satisfied answer made its problem recurring', prob);
  holds(a6?.problem?.earlier_decisions?.some((e) => e.number === A1.number && e.verdict === 'no'), 'A6\'s page shows the earlier decision on its problem, with its verdict', a6);
  await call('GET', '/api/v1/problems/{id}', { token: T.executor, params: { id: P }, expect: 200 });
  await call('GET', '/api/v1/problems/{id}', { token: T.head, params: { id: '999999' }, expect: 404 });
  const page1 = await call('GET', '/api/v1/problems/{id}', { token: T.head, params: { id: P }, query: { limit: 1 }, expect: 200 });
  holds(page1.json?.timeline?.length === 1 && typeof page1.json?.timeline_next === 'string', 'a timeline of one appeal a page gives a cursor', page1);
  const page2 = await call('GET', '/api/v1/problems/{id}', { token: T.head, params: { id: P }, query: { limit: 1, after: page1.json?.timeline_next }, expect: 200 });
  holds(page2.json?.timeline?.[0]?.number === prob.json?.timeline?.[1]?.number, 'the next page of the timeline goes on from the cursor', page2);
  await call('GET', '/api/v1/problems/{id}', { token: T.head, params: { id: P }, query: { after: 'x' }, expect: 422 });
  await call('GET', '/api/v1/problems/{id}', { token: T.head, params: { id: 'abc' }, expect: 404 });
  await pact('confirm', { reason: 'Один и тот же подъезд' }, 200);
  await call('POST', '/api/v1/problems/{id}/{action}', { token: T.head, params: { id: P, action: 'confirm' }, expect: 200 });
  await pact('confirm', {}, 403, T.executor);
  await pact('explode', {}, 404);
  await pact('split', {}, 422);
  await pact('split', { appeals: ['Z-2026-999999'] }, 422);
  await pact('merge', { into: Number(P) }, 422);
  await pact('merge', { into: 'x' }, 422);
  if (a6?.problem_id && String(a6.problem_id) === P) {
    /* A6 leaves for a problem of its own, then that one is merged back */
    const np = (await pact('split', { appeals: [A6.number], reason: 'Другой стояк' }, 200)).json;
    const NP = String(np?.id ?? 1);
    await call('POST', '/api/v1/problems/{id}/{action}', { token: T.head, params: { id: NP, action: 'merge' }, json: { into: Number(P), reason: 'Всё же одна проблема' }, expect: 200 });
    await call('POST', '/api/v1/problems/{id}/{action}', { token: T.head, params: { id: NP, action: 'confirm' }, json: {}, expect: 409 });
    await call('GET', '/api/v1/problems/{id}', { token: T.head, params: { id: NP }, expect: 200 });
  } else {
    tap(false, 'openapi: A6 is grouped with A1 (the problem to split and merge)', JSON.stringify({ a1: a1?.problem_id, a6: a6?.problem_id }));
  }
}

/* ==== Accountability ==== */

const viol = await call('GET', '/api/v1/violations', { token: T.supervisor, query: { limit: '3' }, expect: 200 });
await call('GET', '/api/v1/violations', { token: T.supervisor, query: { after: viol.json?.next ?? '1', status: 'open', from: '2026-01-01' }, expect: 200 });
await call('GET', '/api/v1/violations', { token: T.supervisor, query: { limit: '501' }, expect: 422 });
await call('GET', '/api/v1/violations', { token: T.supervisor, query: { person: 'me' }, expect: 422 });
await call('GET', '/api/v1/violations', { expect: 401 });
{
  const v = viol.json?.items?.[0];
  if (v) {
    await call('POST', '/api/v1/violations/{id}/{action}', { token: T.supervisor, params: { id: String(v.id), action: 'proceedings' }, json: { order_number: '12-к', on: v.detected_on }, expect: 200 });
    await call('POST', '/api/v1/violations/{id}/{action}', { token: T.supervisor, params: { id: String(v.id), action: 'banish' }, json: {} });
  }
}
await call('POST', '/api/v1/violations/{id}/{action}', { token: T.supervisor, params: { id: '999999', action: 'dismiss' }, json: { reason: 'ошибка' }, expect: 404 });
await call('POST', '/api/v1/violations/{id}/{action}', { token: T.supervisor, params: { id: 'abc', action: 'dismiss' }, json: { reason: 'ошибка' }, expect: 404 });
await call('GET', '/api/v1/heads/flags', { token: T.supervisor, expect: 200 });
await call('GET', '/api/v1/heads/flags', { token: T.supervisor, query: { limit: 1, after: 99999 }, expect: 200 });
await call('GET', '/api/v1/heads/flags', { token: T.supervisor, query: { after: 'x' }, expect: 422 });
await call('GET', '/api/v1/control', { token: T.supervisor, expect: 200 });
await call('GET', '/api/v1/control', { token: T.supervisor, query: { limit: 1, after: '2026-01-01.1' }, expect: 200 });
await call('GET', '/api/v1/control', { token: T.supervisor, query: { after: '2026-01-01' }, expect: 422 });
await call('GET', '/api/v1/forwards', { token: T.head, expect: 200 });
const fw = await call('GET', '/api/v1/forwards', { token: T.supervisor, query: { limit: '1' }, expect: 200 });
await call('GET', '/api/v1/forwards', { token: T.supervisor, query: { limit: '1', after: String(fw.json?.next ?? 1) }, expect: 200 });
await call('GET', '/api/v1/forwards', { token: T.supervisor, query: { limit: '0' }, expect: 422 });
await call('GET', '/api/v1/forwards', { token: T.executor, expect: 403 });
/* an applicant with only a postal address: the registration notice waits in the print queue */
await call('POST', '/api/v1/appeals', { expect: 201, json: { ...heating('Письмом: нет отопления в доме 3.'), applicant: { type: 'individual', full_name: 'Почтов Пётр', postal_address: 'Риддер, ул. Ленина 3, кв. 1' } } });
const letters = await call('GET', '/api/v1/post', { token: T.registrar, expect: 200 });
await call('GET', '/api/v1/post', { token: T.registrar, query: { format: 'html' }, expect: 200 });
await call('GET', '/api/v1/post', { token: T.registrar, query: { format: 'pdf' }, expect: 422 });
await call('GET', '/api/v1/post', { token: T.executor, expect: 403 });
await call('POST', '/api/v1/post/{id}/sent', { token: T.registrar, params: { id: String(letters.json?.items?.[0]?.id ?? 0) }, expect: 200 });
await call('POST', '/api/v1/post/{id}/sent', { token: T.registrar, params: { id: '999999' }, expect: 404 });

/* ==== Receptions ==== */

const sched = await call('POST', '/api/v1/receptions/schedules', {
  token: T.head, expect: 201,
  json: { official: 'ct.head', body: 'ridder', weekday: 1, start: '09:00', end: '12:00', slot_min: 30, place: 'Риддер, каб. 201' },
});
await call('POST', '/api/v1/receptions/schedules', { token: T.head, json: { official: 'ct.head', body: 'ridder', weekday: 9, start: '09:00', end: '12:00', slot_min: 30 }, expect: 422 });
await call('POST', '/api/v1/receptions/schedules', { token: T.executor, json: { official: 'ct.head', body: 'ridder', weekday: 1, start: '09:00', end: '12:00', slot_min: 30 }, expect: 403 });
await call('GET', '/api/v1/receptions/schedules', { expect: 200 });
await call('GET', '/api/v1/receptions/schedules', { query: { body: 'ridder' }, expect: 200 });
const SID = String(sched.json?.id ?? 1);
const slots = await call('GET', '/api/v1/receptions/schedules/{id}/slots', { params: { id: SID }, expect: 200 });
await call('GET', '/api/v1/receptions/schedules/{id}/slots', { params: { id: SID }, query: { from: 'tomorrow' }, expect: 422 });
await call('GET', '/api/v1/receptions/schedules/{id}/slots', { params: { id: '999999' }, expect: 404 });
const slot = slots.json?.free?.[0] || { day: '2026-01-05', start: '09:00' };
const bk = await call('POST', '/api/v1/receptions/bookings', { json: { schedule_id: Number(SID), ...slot, name: 'Иванова Анна', phone: '+77017654321', topic: 'Отопление' }, expect: 201 });
await call('POST', '/api/v1/receptions/bookings', { json: { schedule_id: Number(SID), ...slot, name: 'Сидоров Иван' }, expect: 409 });
await call('POST', '/api/v1/receptions/bookings', { json: { schedule_id: Number(SID), day: slot.day, start: slot.start }, expect: 422 });
await call('GET', '/api/v1/receptions/bookings', { token: T.head, query: { from: slot.day, to: slot.day }, expect: 200 });
await call('GET', '/api/v1/receptions/bookings', { token: T.supervisor, query: { from: '2026-01-01', to: '2026-12-31', body: 'ridder' }, expect: 200 });
await call('GET', '/api/v1/receptions/bookings', { token: T.head, expect: 422 });
await call('GET', '/api/v1/receptions/bookings', { token: T.admin, query: { from: slot.day, to: slot.day }, expect: 403 });
await call('POST', '/api/v1/receptions/bookings/{id}/record', { token: T.head, params: { id: String(bk.json?.id ?? 1) }, json: { attended: true, topics: 'Отопление' }, expect: 409 });
await call('POST', '/api/v1/receptions/bookings/{id}/record', { token: T.head, params: { id: String(bk.json?.id ?? 1) }, json: { topics: 'Отопление' }, expect: 422 });
await call('POST', '/api/v1/receptions/bookings/{id}/cancel', { params: { id: String(bk.json?.id ?? 1) }, json: { code: 'WRONG0000000' } });
await call('POST', '/api/v1/receptions/bookings/{id}/cancel', { params: { id: String(bk.json?.id ?? 1) }, json: { code: bk.json?.code }, expect: 200 });
await call('POST', '/api/v1/receptions/bookings/{id}/cancel', { params: { id: 'x' }, json: { code: 'A' }, expect: 404 });
{
  /* a reception held earlier (demo data): recorded again it is a conflict or a success */
  const past = await call('GET', '/api/v1/receptions/bookings', { token: T.head, query: { from: '2026-01-01', to: new Date().toISOString().slice(0, 10) }, expect: 200 });
  const b = past.json?.items?.find((x) => x.status === 'booked' && new Date(`${x.day}T${x.start}:00+05:00`) < new Date());
  const held = past.json?.items?.find((x) => x.status === 'held');
  if (b) await call('POST', '/api/v1/receptions/bookings/{id}/record', { token: T.head, params: { id: String(b.id) }, json: { attended: false }, expect: 200 });
  /* a reception is recorded once it has begun: a booking moved to yesterday in the database,
   * as the passing of time would (tests/api/receptions.c does the same) */
  const slot2 = slots.json?.free?.[1];
  const bk2 = slot2 && (await call('POST', '/api/v1/receptions/bookings', { json: { schedule_id: Number(SID), ...slot2, name: 'Сидоров Иван' }, expect: 201 })).json;
  if (bk2) {
    const yesterday = new Date(Date.now() + 5 * 3600e3 - 86400e3).toISOString().slice(0, 10);
    execFileSync('sqlite3', [DB, `UPDATE reception_bookings SET day = '${yesterday}' WHERE id = ${Number(bk2.id)}`]);
    await call('POST', '/api/v1/receptions/bookings/{id}/record', {
      token: T.head, params: { id: String(bk2.id) }, expect: 200,
      json: { attended: true, topics: 'Отопление', outcome: 'Подано обращение', appeal: { kind: 'statement', category: 'heating', district: 'ridder', language: 'ru', text: 'На приёме: нет отопления в доме 9.', applicant: { type: 'individual', full_name: 'Сидоров Иван', phone: '+77051112233' } } },
    });
  }
  if (held) await call('POST', '/api/v1/receptions/bookings/{id}/record', { token: T.head, params: { id: String(held.id) }, json: { attended: true }, expect: 409 });
}
await call('POST', '/api/v1/receptions/walkins', {
  token: T.head, expect: 201,
  json: {
    schedule_id: Number(SID), name: 'Петров Пётр', topics: 'Отопление в доме 5', outcome: 'Принято обращение',
    appeal: { kind: 'statement', category: 'heating', district: 'ridder', language: 'ru', text: 'На приёме: холодные батареи в доме 5.', applicant: { type: 'individual', full_name: 'Петров Пётр', phone: '+77051234567' } },
  },
});
await call('POST', '/api/v1/receptions/walkins', { token: T.head, json: { schedule_id: Number(SID), name: 'Петров Пётр' }, expect: 422 });
await call('POST', '/api/v1/receptions/walkins', { json: { schedule_id: Number(SID), name: 'Петров', topics: 'x' }, expect: 401 });

/* ==== Reports ==== */

await call('GET', '/api/v1/scorecards', { token: T.supervisor, expect: 200 });
await call('GET', '/api/v1/scorecards', { token: T.supervisor, query: { from: '2026-01-01', to: '2026-06-30', body: 'ridder', format: 'csv', bom: '1' }, expect: 200 });
await call('GET', '/api/v1/scorecards', { token: T.supervisor, query: { format: 'xlsx' }, expect: 200 });
await call('GET', '/api/v1/scorecards', { token: T.supervisor, query: { weights: 'speed=2' }, expect: 422 });
await call('GET', '/api/v1/scorecards', { token: T.supervisor, query: { format: 'pdf' }, expect: 422 });
const alerts = await call('GET', '/api/v1/alerts', { token: T.supervisor, expect: 200 });
holds(alerts.json?.items?.some((x) => x.kind === 'recurring' && x.problem), 'the alerts carry the problem that came back', alerts);
await call('GET', '/api/v1/alerts', { token: T.supervisor, query: { months: '6', drop: '0.5', format: 'csv' }, expect: 200 });
await call('GET', '/api/v1/alerts', { token: T.supervisor, query: { months: '99' }, expect: 422 });
/* issue 16: a letter a registrar enters with a name and no contact: registered, its notices
 * reach nobody, an operations alert; the administrator reads those at /alerts */
await call('POST', '/api/v1/appeals', {
  token: T.registrar, expect: 201,
  json: { kind: 'statement', channel: 'mail', category: 'heating', district: 'ridder', language: 'ru', text: 'Письмо без обратного адреса: нет отопления.', applicant: { type: 'individual', full_name: 'Безадресов Б.' } },
});
const ops = await call('GET', '/api/v1/alerts', { token: T.admin, expect: 200 });
holds(ops.json?.items?.some((x) => x.kind === 'operations' && x.metric === 'notice.undelivered' && x.object_type === 'appeal'), 'the administrator reads the operations alerts', ops);
await call('GET', '/api/v1/alerts', { token: T.admin, query: { months: '1', format: 'csv' }, expect: 200 });
await call('GET', '/api/v1/alerts', { token: T.executor, expect: 403 });
await call('GET', '/api/v1/scorecards', { token: T.supervisor, query: { format: 'csv', lang: 'ru' }, expect: 200 });
await call('GET', '/api/v1/scorecards', { token: T.supervisor, query: { format: 'xlsx', lang: 'kk', bom: '0' }, expect: 200 });
await call('GET', '/api/v1/scorecards', { token: T.supervisor, query: { format: 'csv', lang: 'fr' }, expect: 422 });
await call('GET', '/api/v1/alerts', { token: T.head, query: { format: 'csv', lang: 'en' }, expect: 200 });
await call('GET', '/api/v1/public/stats', { query: { format: 'csv', lang: 'kk', bom: '0' }, expect: 200 });
const dash = await call('GET', '/api/v1/dashboard', { token: T.supervisor, expect: 200 });
holds(dash.json?.bodies?.length > 0 && dash.json?.months?.length > 0 && dash.json?.alerts?.length > 0, 'the dashboard ranks bodies, has months and alerts', dash);
await call('GET', '/api/v1/dashboard', { token: T.head, query: { from: '2026-01-01', to: '2026-06-30' }, expect: 200 });
await call('GET', '/api/v1/dashboard', { token: T.auditor, query: { from: '2026-01-01' }, expect: 200 });
await call('GET', '/api/v1/dashboard', { token: T.supervisor, query: { from: 'May' }, expect: 422 });
await call('GET', '/api/v1/dashboard', { token: T.supervisor, query: { from: '2026-06-30', to: '2026-01-01' }, expect: 422 });
await call('GET', '/api/v1/dashboard', { token: T.executor, expect: 403 });
await call('GET', '/api/v1/dashboard', { expect: 401 });
await call('GET', '/api/v1/public/stats', { expect: 200 });
await call('GET', '/api/v1/public/stats', { query: { from: '2026-01', to: '2026-12', format: 'xlsx' }, expect: 200 });
await call('GET', '/api/v1/public/stats', { query: { from: 'spring' }, expect: 422 });

/* ==== Paths and methods the server does not have ==== */

await call('GET', '/api/v1/nothing/here', { component: '#/components/responses/NotFound', expect: 404 });
await call('PUT', '/api/v1/appeals', { component: '#/components/responses/MethodNotAllowed', expect: 405 });

/* ==== The verdict per operation ==== */

for (const [p, item] of Object.entries(doc.paths)) {
  for (const m of Object.keys(item)) {
    if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
    const key = `${m.toUpperCase()} ${p}`;
    const e = results.get(key);
    if (!e) {
      tap(false, `openapi: ${key}`, 'never called');
      continue;
    }
    const seen = [...e.statuses].sort().join(',');
    tap(e.failed.length === 0 && e.ok2xx, `openapi: ${key} (${e.calls} replies: ${seen})`,
      (e.ok2xx ? '' : 'no successful reply\n') + e.failed.join('\n'));
  }
}
for (const [key, e] of results)
  if (key.includes('(#/components')) tap(e.failed.length === 0, `openapi: ${key}`, e.failed.join('\n'));
process.exit(failures ? 1 : 0);
