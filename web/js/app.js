/* The single page: header with navigation and the language switch, a router over the
 * History API, and the views (portal, staff workspace, control, dashboard). */
import { h, clear, select } from './dom.js';
import { initLang, setLang, currentLang, languages, t } from './i18n.js';
import { restore, user, logout } from './api.js';
import { loadRefs } from './ref.js';
import { errText } from './words.js';
import * as portal from './views/portal.js';
import * as staff from './views/staff.js';
import * as control from './views/control.js';
import * as dashboard from './views/dashboard.js';
import * as problems from './views/problems.js';
import * as search from './views/search.js';
import * as operations from './views/operations.js';

const routes = [
  [/^\/$/, portal.home],
  [/^\/file$/, portal.file],
  [/^\/track$/, portal.track],
  [/^\/complaint$/, portal.complaint],
  [/^\/reception$/, portal.reception],
  [/^\/staff\/login$/, staff.login],
  [/^\/staff$/, staff.inbox],
  [/^\/staff\/phone$/, staff.phone],
  [/^\/staff\/appeal\/([^/]+)$/, staff.appeal],
  [/^\/staff\/control$/, control.page],
  [/^\/staff\/search$/, search.page],
  [/^\/staff\/operations$/, operations.page],
  [/^\/dashboard$/, dashboard.page],
  [/^\/dashboard\/problems$/, problems.page],
];

const STAFF_ONLY = /^\/(staff(?!\/login)|dashboard)/;

export function navigate(path, replace) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

/* Links inside the page route in the browser; modified clicks keep their usual meaning. */
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
  const href = a.getAttribute('href');
  if (!href.startsWith('/') || href.startsWith('/api/')) return;
  ev.preventDefault();
  navigate(href);
});
window.addEventListener('popstate', () => render());

function header() {
  const top = clear(document.getElementById('top'));
  const u = user();
  const path = location.pathname;
  const link = (href, key, extra) =>
    h('a', { href, class: 'nav-link', 'aria-current': path === href ? 'page' : null, ...extra }, t(key));
  const citizen = [link('/file', 'nav.file'), link('/track', 'nav.track'), link('/complaint', 'nav.complaint'), link('/reception', 'nav.reception')];
  const staffLinks = u
    ? [
        link('/staff', 'nav.inbox'),
        ['registrar', 'head'].includes(u.role) ? link('/staff/phone', 'nav.phone') : null,
        ['head', 'supervisor', 'executor', 'auditor'].includes(u.role) ? link('/staff/control', 'nav.control') : null,
        ['head', 'supervisor', 'auditor'].includes(u.role) ? link('/dashboard', 'nav.dashboard') : null,
        ['head', 'supervisor', 'auditor'].includes(u.role) ? link('/dashboard/problems', 'nav.problems') : null,
        u.role !== 'admin' ? link('/staff/search', 'nav.search') : null,
        u.role === 'admin' ? link('/staff/operations', 'nav.operations') : null,
      ]
    : [link('/staff/login', 'nav.staff')];
  const langSel = select(
    languages().map((l) => [l, t(`lang.${l}`)]),
    currentLang(),
    { id: 'lang', name: 'lang' },
  );
  langSel.addEventListener('change', async () => {
    await setLang(langSel.value);
    await render();
    const again = document.getElementById('lang');
    if (again) again.focus();
  });
  top.append(
    h('div', { class: 'brand' }, h('a', { href: '/', class: 'logo' }, 'Otinish'), h('span', { class: 'tagline' }, t('app.tagline'))),
    h('nav', { 'aria-label': t('nav.label') }, h('div', { class: 'nav-group' }, citizen), h('div', { class: 'nav-group staff' }, staffLinks)),
    h(
      'div',
      { class: 'tools' },
      h('label', { for: 'lang', class: 'lang-label' }, t('lang.label')),
      langSel,
      u
        ? h('span', { class: 'who' }, h('span', { class: 'who-name' }, `${u.name} · ${t(`role.${u.role}`)}`),
            h('button', { type: 'button', class: 'link-button', onclick: async () => { await logout(); navigate('/staff/login'); } }, t('nav.logout')))
        : null,
    ),
  );
  const foot = clear(document.getElementById('foot'));
  foot.append(h('p', {}, t('app.footer')));
  document.querySelector('.skip').textContent = t('app.skip');
}

/* A render generation: every render takes the next number, and only the render holding the
 * latest one may touch the page. A view draws into a page element of its own; a render that
 * is no longer current (the route changed while it awaited the server) finds its element
 * already taken out of <main>, and its title, errors and redirects are dropped here, in one
 * place for every page. Each render that ends says so in an `otinish:rendered` event
 * ({path, current}) for the browser tests. */
let renderSeq = 0;

function rendered(path, seq) {
  document.dispatchEvent(new CustomEvent('otinish:rendered', { detail: { path, current: seq === renderSeq } }));
}

export async function render() {
  const seq = ++renderSeq;
  const isCurrent = () => seq === renderSeq;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (STAFF_ONLY.test(path) && !user()) {
    history.replaceState(null, '', `/staff/login?next=${encodeURIComponent(path)}`);
    return render();
  }
  header();
  const main = h('div', { class: 'page' });
  clear(document.getElementById('main')).append(main);
  let view = null;
  let params = [];
  for (const [re, fn] of routes) {
    const m = re.exec(path);
    if (m) {
      view = fn;
      params = m.slice(1).map(decodeURIComponent);
      break;
    }
  }
  if (!view) {
    main.append(h('h1', {}, t('notfound.title')), h('p', {}, h('a', { href: '/' }, t('notfound.home'))));
    document.title = 'Otinish';
    rendered(path, seq);
    return;
  }
  /* a stale view's redirect would take the person away from the page they went to */
  const nav = (to, replace) => { if (isCurrent()) navigate(to, replace); };
  try {
    await view(main, params, { navigate: nav, isCurrent });
  } catch (e) {
    if (isCurrent()) main.append(h('p', { class: 'alert error', role: 'alert' }, errText(e)));
  }
  if (isCurrent()) {
    const h1 = main.querySelector('h1');
    document.title = h1 ? `${h1.textContent} — Otinish` : 'Otinish';
  }
  rendered(path, seq);
}

async function start() {
  if (location.pathname.replace(/\/+$/, '') === '/dashboard') dashboard.prefetch();
  await initLang();
  await Promise.all([restore(), loadRefs().catch(() => null)]);
  await render();
}

start();
