/* make bench (issue 18): the governor's dashboard in Chromium, cold: the bytes it loads (all
 * responses, as transferred) and the time from navigation until it is interactive (the
 * headline figures and the four charts drawn). Usage:
 *   node bench/dashboard.mjs BASE_URL LOGIN PASSWORD [RUNS]
 * Prints one line per run and the median. Uses playwright-core from tests/browser and
 * Debian's Chromium (CHROMIUM=/usr/bin/chromium). */
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';

const [base, login, password, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 3);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
const results = [];
for (let i = 0; i < runs; i++) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  /* sign in through the API (the cookie), then measure the dashboard from a cold cache */
  await page.goto(`${base}/staff/login`);
  const st = await page.evaluate(async ([l, p]) => (await fetch('/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: l, password: p }),
  })).status, [login, password]);
  if (st !== 200) throw new Error(`login answered ${st}`);
  await page.goto('about:blank');
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let requests = 0;
  const byUrl = new Map();
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    requests += 1;
    byUrl.set(urls.get(e.requestId), e.encodedDataLength);
  });
  const t0 = Date.now();
  await page.goto(`${base}/dashboard`);
  await page.waitForFunction(() => document.querySelector('.figures') && document.querySelectorAll('.charts canvas').length === 4, null, { timeout: 60000 });
  const ms = Date.now() - t0;
  await page.waitForLoadState('networkidle');
  results.push({ ms, bytes, requests });
  console.log(`run ${i + 1}: interactive in ${ms} ms, ${(bytes / 1024).toFixed(0)} KB in ${requests} responses`);
  if (process.env.VERBOSE) for (const [u, b] of [...byUrl].sort((a, c) => c[1] - a[1])) console.log(`  ${(b / 1024).toFixed(1)} KB ${u}`);
  await ctx.close();
}
await browser.close();
const med = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
console.log(`dashboard: median interactive ${med('ms')} ms, ${(med('bytes') / 1024).toFixed(0)} KB transferred`);
