/* The unmodified npm `open311` client (codeforamerica/node-open311 0.0.12, as published) end to
 * end against the real server (issue 24): it finds the endpoint through service discovery,
 * syncs the service list and every service definition, submits a request with an API key and
 * site extras, polls it by the id it got (the ASCII form of the number, put into the path
 * unescaped by the client), by a list of ids, by status, and through the token; a wrong key
 * is refused. The client has no call for the updates feed (mySociety's extension): once the
 * body answers through the staff API, polling the request shows the change, and the feed,
 * read as FixMyStreet reads it, carries the answer. One TAP line per step. */
'use strict';
const Open311 = require('open311');

const BASE = process.env.BASE_URL;
const KEY = process.env.API_KEY;
const PW = process.env.PASSWORD;

const steps = [];
const step = (name, fn) => steps.push({ name, fn });
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
/* The client's calls take a node-style callback; this makes them awaitable. */
function call(fn, ...args) {
  return new Promise((resolve, reject) => {
    fn(...args, (err, data) => (err ? reject(Object.assign(new Error(String(data)), { code: err })) : resolve(data)));
  });
}

const client = new Open311({ discovery: `${BASE}/open311/discovery.json`, jurisdiction: 'vko', apiKey: KEY });
const shared = {};
const TEXT = 'Холодные батареи в подъезде дома 5, третий день нет отопления';

async function staff(method, path, token, body) {
  const r = await fetch(`${BASE}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json();
  assert(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

step('service discovery sets the GeoReport v2 endpoint', async () => {
  const d = await call(client.serviceDiscovery.bind(client), { cache: true });
  assert(Array.isArray(d.endpoints) && d.endpoints.length >= 1, 'no endpoints');
  assert(client.endpoint === `${BASE}/open311/v2/`, `endpoint ${client.endpoint}`);
  assert(client.format === 'json', `format ${client.format}`);
});

step('the service list and every service definition (a FixMyStreet sync)', async () => {
  const services = await call(client.serviceList.bind(client));
  assert(Array.isArray(services) && services.length === 35, `services: ${services.length}`);
  const heating = services.find((s) => s.service_code === 'heating');
  assert(heating && heating.metadata === true && heating.type === 'realtime', 'heating');
  for (const s of services) {
    const def = await call(client.serviceDefinition.bind(client), s.service_code);
    assert(def.service_code === s.service_code, `definition of ${s.service_code}`);
    const codes = def.attributes.map((a) => a.code);
    assert(['district', 'language', 'kind'].every((c) => codes.includes(c)), `${s.service_code}: ${codes}`);
  }
});

step('submit a request with the API key, a map pin and site extras', async () => {
  const res = await call(client.submitRequest.bind(client), {
    service_code: 'heating',
    lat: 50.3441,
    long: 83.5128,
    description: TEXT,
    first_name: 'Иван',
    last_name: 'Петров',
    email: 'ivan@example.kz',
    attributes: { district: 'ridder', closest_address: 'ул. Гоголя, 5', uprn: '4711' },
  });
  assert(Array.isArray(res) && res.length === 1, JSON.stringify(res));
  const id = res[0].service_request_id;
  assert(/^[A-Z]-\d{4}-\d{6}$/.test(id), `service_request_id ${id} is not the ASCII form`);
  assert(typeof res[0].service_notice === 'string' && res[0].service_notice.length > 0, 'no service_notice');
  shared.id = id;
});

step('poll the request by its id (unescaped in the path)', async () => {
  const list = await call(client.serviceRequest.bind(client), shared.id);
  assert(Array.isArray(list) && list.length === 1, JSON.stringify(list));
  const r = list[0];
  assert(r.service_request_id === shared.id, r.service_request_id);
  assert(r.status === 'open', r.status);
  assert(r.service_code === 'heating', r.service_code);
  assert(r.description === TEXT, `description ${r.description}`);
  assert(r.requested_datetime instanceof Date && !isNaN(r.requested_datetime), 'requested_datetime');
  assert(r.expected_datetime instanceof Date && r.expected_datetime > r.requested_datetime, 'expected_datetime');
  shared.requested = r.requested_datetime;
});

step('poll by a list of ids, by status, and through the token', async () => {
  const second = await call(client.submitRequest.bind(client), {
    service_code: 'road_repair', address_string: 'Усть-Каменогорск, пр. Ауэзова 10', description: 'Яма на дороге у остановки',
    first_name: 'Алия', last_name: 'Серикова', phone: '+77051234567', attributes: { district: 'ukg' },
  });
  const ids = [shared.id, second[0].service_request_id];
  const both = await call(client.serviceRequests.bind(client), ids, {});
  assert(both.length === 2 && ids.every((i) => both.some((r) => r.service_request_id === i)), JSON.stringify(both));
  const open = await call(client.serviceRequests.bind(client), { status: 'open', service_code: 'heating' });
  assert(open.some((r) => r.service_request_id === shared.id), 'not in the open heating requests');
  assert(open.every((r) => r.status === 'open' && r.service_code === 'heating'), 'the filter');
  const tok = await call(client.token.bind(client), shared.id);
  assert(tok.length === 1 && tok[0].service_request_id === shared.id, JSON.stringify(tok));
});

step('a wrong API key is refused with 403', async () => {
  const bad = new Open311({ endpoint: client.endpoint, jurisdiction: 'vko', apiKey: 'o311_wrong' });
  let code = 0;
  try {
    await call(bad.submitRequest.bind(bad), {
      service_code: 'heating', lat: 50.3, long: 83.5, description: 'x', attributes: { district: 'ridder' },
    });
  } catch (e) {
    code = e.code;
  }
  assert(code === 403, `got ${code}`);
});

step('the body answers: polling shows it closed, the updates feed carries the answer', async () => {
  const head = (await staff('POST', '/api/v1/session', null, { login: 'ct.head', password: PW })).token;
  const exec = (await staff('POST', '/api/v1/session', null, { login: 'ct.executor', password: PW })).token;
  const n = encodeURIComponent(shared.id);
  await staff('POST', `/api/v1/appeals/${n}/assign`, head, { executor: 'ct.executor' });
  await staff('POST', `/api/v1/appeals/${n}/start`, exec, {});
  const answer = 'Отопление в подъезде дома 5 восстановлено, батареи прогреты, давление в системе в норме.';
  await staff('POST', `/api/v1/appeals/${n}/answer`, exec, {
    decision: 'satisfied', text: answer, grounds: 'Акт осмотра от сегодняшнего дня; Правила теплоснабжения, п. 12.',
  });
  const [r] = await call(client.serviceRequest.bind(client), shared.id);
  assert(r.status === 'closed', `status ${r.status}`);
  assert(/satisfied|удовлетвор/.test(r.status_notes || ''), `status_notes ${r.status_notes}`);
  /* the client has no call for servicerequestupdates: read it as FixMyStreet does */
  const start = new Date(shared.requested.getTime() - 60000).toISOString().replace(/\.\d+Z$/, 'Z');
  const u = await fetch(`${client.endpoint}servicerequestupdates.json?jurisdiction_id=vko&start_date=${start}`);
  assert(u.status === 200, `updates ${u.status}`);
  const mine = (await u.json()).filter((x) => x.service_request_id === shared.id);
  const codes = mine.map((x) => x.external_status_code);
  assert(codes[0] === 'register' && codes.includes('answer'), `updates ${codes}`);
  const last = mine[mine.length - 1];
  assert(last.status === 'closed' && last.description.includes(answer), JSON.stringify(last));
});

(async () => {
  let n = 0;
  let failed = 0;
  for (const { name, fn } of steps) {
    n++;
    try {
      await fn();
      console.log(`ok ${n} - open311 client: ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok ${n} - open311 client: ${name}`);
      console.log(`# ${String(e.stack || e).replace(/\n/g, '\n# ')}`);
      if (!shared.id) break; /* the rest needs the request */
    }
  }
  process.exit(failed ? 1 : 0);
})();
