/* Full-text search for staff (issue 17): a search box over GET /api/v1/search, within the
 * caller's scope. Each hit shows its number, what matched (the appeal or its answer), status,
 * body and date — or, for a problem, its state, appeals, body and category, and a button
 * that opens its appeals (GET /api/v1/problems/{id}, the hit's href) — and the fragment
 * around the matched words: the API sends the fragment as
 * plain-text pieces, each put in as text (a matched word in a <mark>), so nothing the citizen
 * wrote is ever parsed as HTML. The query lives in the address (?q=), so a search can be
 * linked and the browser's back button returns to it. */
import { h, add, clear, field } from '../dom.js';
import { t, tv, fmtDate } from '../i18n.js';
import { get, enc, ApiError } from '../api.js';
import { loadRefs, bodyName, categoryName } from '../ref.js';
import { pagedTimeline } from './problems.js';

const PAGE = 20;

function fragment(pieces) {
  return h('p', { class: 'search-fragment' },
    (pieces || []).map((p) => (p.hit ? h('mark', {}, p.text) : p.text)));
}

function problemHit(r) {
  const more = h('div', { class: 'search-problem-appeals' });
  const button = h('button', { type: 'button', class: 'link-button', 'aria-expanded': 'false' },
    `${t('search.kind.problem')} ${r.problem}`);
  button.addEventListener('click', async () => {
    const open = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', open ? 'false' : 'true');
    clear(more);
    if (open) return;
    more.textContent = t('dash.loading');
    try {
      const full = await get(r.href);
      clear(more);
      add(more, pagedTimeline(full));
    } catch (e) {
      more.textContent = e.message;
    }
  });
  return h('li', { class: 'search-hit search-problem' },
    h('p', { class: 'search-head' },
      button,
      ' · ', t(`problems.state.${r.state}`),
      ' · ', `${t('problems.appeals')}: ${r.appeals}`,
      ' · ', bodyName(r.body),
      ' · ', categoryName(r.category)),
    fragment(r.fragment), more);
}

function hit(r) {
  if (r.kind === 'problem') return problemHit(r);
  return h('li', { class: 'search-hit' },
    h('p', { class: 'search-head' },
      h('a', { href: `/staff/appeal/${enc(r.number)}` }, r.number),
      ' · ', h('span', { class: 'search-kind' }, t(`search.kind.${r.kind}`)),
      ' · ', tv('status', r.status),
      ' · ', bodyName(r.body),
      ' · ', categoryName(r.category),
      ' · ', fmtDate(r.registered_on)),
    fragment(r.fragment));
}

export async function page(main, _params, ctx) {
  await loadRefs();
  const q = new URLSearchParams(location.search).get('q') || '';
  const input = h('input', { type: 'search', name: 'q', value: q, maxlength: '200', autocomplete: 'off' });
  const f = field(t('search.label'), input, t('search.hint'));
  const form = h('form', { class: 'search-form', role: 'search', novalidate: true },
    f.wrap, h('button', { type: 'submit', class: 'primary' }, t('search.submit')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = input.value.trim();
    if (!v) {
      f.setError(t('err.required'));
      input.focus();
      return;
    }
    ctx.navigate(`/staff/search?q=${encodeURIComponent(v)}`);
  });
  add(main, h('h1', {}, t('search.title')), form);
  if (!q) {
    input.focus();
    return;
  }
  const status = h('p', { class: 'search-count', role: 'status' });
  const list = h('ol', { class: 'search-hits' });
  const more = h('button', { type: 'button', class: 'search-more', hidden: true }, t('search.more'));
  add(main, status, list, more);
  let shown = 0;
  const load = async (offset) => {
    let r;
    try {
      r = await get(`/api/v1/search?q=${encodeURIComponent(q)}&limit=${PAGE}&offset=${offset}`);
    } catch (e) {
      if (e instanceof ApiError && e.field === 'q') {
        f.setError(e.message);
        return;
      }
      throw e;
    }
    if (!ctx.isCurrent()) return;
    for (const item of r.items) list.append(hit(item));
    shown += r.items.length;
    status.textContent = shown ? t('search.results', { n: r.next === null ? shown : `${shown}+` }) : t('search.none');
    more.hidden = r.next === null;
    more.onclick = () => load(r.next);
  };
  await load(0);
}
