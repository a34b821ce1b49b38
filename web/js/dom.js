/* DOM helpers. Every string goes in as text (textContent / createTextNode): data from the API
 * is never parsed as HTML. No inline style attributes either (the CSP forbids them). */

/* h('p', {class: 'x', for: 'id', onclick: fn}, 'text', child, [more]) -> element */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'required' || k === 'hidden')
      el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let uid = 0;
export function newId(prefix) {
  uid += 1;
  return `${prefix || 'f'}-${uid}`;
}

/* A labelled form field: returns {wrap, input, error, setError(msg)}. */
export function field(label, input, hint) {
  if (!input.id) input.id = newId('in');
  const err = h('p', { class: 'field-error', id: `${input.id}-err`, 'aria-live': 'polite' });
  const hintEl = hint ? h('p', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
  input.setAttribute('aria-describedby', [hintEl && hintEl.id, err.id].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field' }, h('label', { for: input.id }, label), hintEl, input, err);
  return {
    wrap,
    input,
    error: err,
    setError(msg) {
      err.textContent = msg || '';
      if (msg) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      wrap.classList.toggle('invalid', !!msg);
    },
  };
}

export function select(options, value, attrs) {
  const s = h('select', attrs || {});
  for (const [v, text] of options) s.appendChild(h('option', { value: v, selected: v === value }, text));
  if (value !== undefined) s.value = value;
  return s;
}

/* el.append() that skips null/false (the native one would write "null"). */
export function add(el, ...children) {
  append(el, children);
  return el;
}

/* A list that comes a page at a time (the staff lists' keyset cursors, issue 23):
 * render(rows) of the rows so far, then a button (label) while there is a next page; it
 * fetches the page after the cursor (more(next) -> {items, next}, or null to keep the list
 * as it is) and adds its rows under them. */
export function pagedList(render, first, more, label) {
  const rows = [...first.items];
  let next = first.next;
  const wrap = h('div', {});
  const draw = () => {
    wrap.replaceChildren(render(rows));
    if (next) {
      wrap.append(h('button', {
        type: 'button',
        class: 'more',
        onclick: async () => {
          const page = await more(next);
          if (!page) return;
          rows.push(...page.items);
          next = page.next;
          draw();
        },
      }, label));
    }
  };
  draw();
  return wrap;
}
