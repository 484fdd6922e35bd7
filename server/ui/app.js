// The verdict decision page. It reads the cookie-authenticated JSON API next
// to it (api/decisions, api/explain), whose decisions are engine/explain
// Explanations, and draws them. Every value from the server is put into the
// page with textContent, never as HTML: policy text and principal names are
// user input.
'use strict';

(function () {
  const REFRESH_MS = 2000;
  const KEEP = 300;

  const state = {
    decisions: [], // newest first
    maxSeq: 0,
    deniedOnly: false,
    selected: '', // key of the selected decision
    pinned: null, // explanation shown from #request-id=, when not in the list
    shown: '',
    busy: false,
  };

  const $ = (sel) => document.querySelector(sel);

  // el builds an element: el('td', {class: 'x'}, 'text', child, ...).
  function el(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') n.className = v;
      else if (k === 'hidden') n.hidden = true;
      else n.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      n.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return n;
  }

  function key(e) { return (e.requestId || '') + '#' + (e.seq || 0); }

  function setStatus(text, error) {
    const s = $('#status');
    s.textContent = text;
    s.classList.toggle('error', !!error);
  }

  async function api(path) {
    const r = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
    let body = {};
    try { body = await r.json(); } catch (_) { /* not JSON */ }
    if (!r.ok) {
      const err = new Error(body.error || (r.status + ' ' + r.statusText));
      err.status = r.status;
      throw err;
    }
    return body;
  }

  function clock(t) {
    if (!t) return '';
    const d = new Date(t);
    if (isNaN(d)) return t;
    return d.toLocaleTimeString([], { hour12: false });
  }

  function deciderOf(e) {
    const v = e.verdict || {};
    if (v.allowed) return v.layerTitle || '';
    return v.layerTitle || v.layer || '';
  }

  // refresh loads new decisions: all of them after a filter change, only
  // those after the newest seen otherwise.
  async function refresh(full) {
    if (state.busy) return;
    state.busy = true;
    try {
      const q = new URLSearchParams({ limit: full ? '100' : '200' });
      if (state.deniedOnly) q.set('denied', '1');
      if (!full && state.maxSeq) q.set('since', String(state.maxSeq));
      const body = await api('api/decisions?' + q.toString());
      $('#account').textContent = 'account ' + (body.account || '');
      const got = body.decisions || [];
      state.decisions = full ? got : got.concat(state.decisions).slice(0, KEEP);
      for (const e of got) if (e.seq > state.maxSeq) state.maxSeq = e.seq;
      renderList();
      if (!state.selected && !state.pinned) {
        const first = state.decisions.find((e) => !e.verdict.allowed) || state.decisions[0];
        if (first) state.selected = key(first);
      }
      renderDetail();
      setStatus('updated ' + new Date().toLocaleTimeString([], { hour12: false }));
    } catch (err) {
      setStatus(err.message, true);
      if (err.status === 403) stop();
    } finally {
      state.busy = false;
    }
  }

  function renderList() {
    const tbody = $('#decisions tbody');
    const rows = state.decisions.map((e) => {
      const v = e.verdict || {};
      const rq = e.request || {};
      const tr = el('tr', {
        class: (v.allowed ? 'decision allowed' : 'decision denied') + (key(e) === state.selected ? ' selected' : ''),
        'data-request-id': e.requestId,
        'data-seq': e.seq,
        'data-verdict': v.allowed ? 'allowed' : 'denied',
      },
      el('td', { class: 'time mono' }, clock(e.time)),
      el('td', { class: 'verdict' }, v.allowed ? 'allowed' : 'denied'),
      el('td', { class: 'principal mono', title: rq.principal }, rq.principal),
      el('td', { class: 'action mono' }, rq.action),
      el('td', { class: 'resource mono', title: rq.resource }, rq.resource),
      el('td', { class: 'layer' }, deciderOf(e)),
      el('td', { class: 'request-id mono' }, e.requestId));
      tr.addEventListener('click', () => {
        state.selected = key(e);
        state.pinned = null;
        if (location.hash) history.replaceState(null, '', location.pathname);
        renderList();
        renderDetail();
      });
      return tr;
    });
    tbody.replaceChildren(...rows);
    $('#empty').hidden = state.decisions.length > 0;
  }

  function renderDetail() {
    const e = state.pinned || state.decisions.find((d) => key(d) === state.selected);
    const k = e ? key(e) : '';
    if (k === state.shown) return; // unchanged: keep the reader's scroll
    state.shown = k;
    const box = $('#detail');
    if (!e) {
      box.replaceChildren(el('p', { class: 'empty' }, 'Select a decision to see its evaluation chain.'));
      return;
    }
    box.replaceChildren(...explanation(e));
  }

  function explanation(e) {
    const v = e.verdict || {};
    const rq = e.request || {};
    const out = [];
    out.push(el('h2', { class: v.allowed ? 'allowed' : 'denied', 'data-request-id': e.requestId },
      (v.allowed ? 'Allowed' : 'Denied') + ': ' + (rq.action || '') + ' on ' + (rq.resource || '')));
    out.push(el('p', { class: 'meta mono' },
      'request ' + (e.requestId || '?') + ' · ' + (e.time || '') + ' · ' + (rq.principal || '') +
      (rq.crossAccount ? ' · cross-account (' + (rq.account || '?') + ' → ' + (rq.resourceAccount || '?') + ')' : '')));
    if (v.summary) out.push(el('p', { class: 'summary' }, v.summary));
    if (v.message) out.push(el('div', { class: 'message' }, el('strong', {}, 'AWS says: '), el('span', { class: 'aws-message' }, v.message)));

    out.push(el('h3', {}, 'evaluation chain'));
    out.push(el('ol', { class: 'chain' }, ...(e.chain || []).map(step)));

    if ((e.deciding || []).length) {
      out.push(el('h3', {}, v.allowed ? 'granted by' : 'deciding statement'));
      for (const s of e.deciding) out.push(statement(s));
    }
    if ((e.findings || []).length) {
      out.push(el('h3', {}, 'why'));
      out.push(el('ul', { class: 'findings' }, ...e.findings.map((f) => el('li', {}, f))));
    }
    if ((e.nearMisses || []).length) {
      out.push(el('h3', {}, 'almost allowed by'));
      for (const m of e.nearMisses) {
        const s = statement(m.statement);
        if ((m.reasons || []).length) s.append(el('ul', { class: 'findings' }, ...m.reasons.map((r) => el('li', {}, r))));
        out.push(s);
      }
    }
    if ((e.fixes || []).length) {
      out.push(el('h3', {}, e.fixes.length === 1 ? 'fix' : 'fixes'));
      for (const f of e.fixes) out.push(fix(f));
    }
    if ((e.notes || []).length) {
      out.push(el('h3', {}, 'notes'));
      out.push(el('ul', { class: 'notes' }, ...e.notes.map((n) => el('li', {}, n))));
    }
    return out;
  }

  function step(s) {
    return el('li', {
      class: 'step step-' + s.status, 'data-layer': s.layer, 'data-status': s.status,
      title: s.status.replace('-', ' '),
    },
    el('span', { class: 'mark' }, s.mark),
    el('span', { class: 'title' }, s.title),
    s.statement ? el('span', { class: 'stmt mono' }, s.statement) : null,
    s.note ? el('span', { class: 'note' }, s.note) : null);
  }

  function statement(s) {
    const where = [s.policy, s.target].filter(Boolean).join(' on ');
    return el('div', { class: 'statement' },
      el('span', { class: 'label' }, s.label || ''), ' ',
      el('span', { class: 'meta' }, (s.effect || '') + (where ? ' in ' + where : '') + (s.decisive ? ' · decided by ' + s.decisive : '')),
      s.source ? el('pre', { class: 'source' }, s.source) : null);
  }

  function fix(f) {
    return el('div', { class: 'fix', 'data-cause': f.cause },
      el('div', { class: 'cause mono' }, f.cause),
      el('p', { class: 'fix-summary' }, f.summary),
      f.runAs ? el('div', { class: 'run-as' }, 'run as ' + f.runAs) : null,
      (f.commands || []).length ? el('pre', { class: 'commands' }, f.commands.join('\n')) : null,
      f.policy ? el('pre', { class: 'policy' }, f.policy) : null,
      (f.notes || []).length ? el('ul', { class: 'notes' }, ...f.notes.map((n) => el('li', {}, n))) : null);
  }

  // A link to one decision: /_verdict/ui/#request-id=ID.
  async function openFromHash() {
    const m = /^#request-id=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (!m) return;
    try {
      const body = await api('api/explain?request-id=' + encodeURIComponent(m[1]));
      const list = body.explanations || [];
      const denied = list.find((x) => !x.verdict.allowed);
      state.pinned = denied || list[0] || null;
      if (state.pinned) state.selected = key(state.pinned);
      renderList();
      renderDetail();
    } catch (err) {
      setStatus(err.message, true);
    }
  }

  let timer = null;
  function start() { if (!timer) timer = setInterval(() => refresh(false), REFRESH_MS); }
  function stop() { if (timer) { clearInterval(timer); timer = null; } }

  document.addEventListener('DOMContentLoaded', () => {
    $('#denied-only').addEventListener('change', (ev) => {
      state.deniedOnly = ev.target.checked;
      state.maxSeq = 0;
      refresh(true);
    });
    $('#auto-refresh').addEventListener('change', (ev) => { if (ev.target.checked) start(); else stop(); });
    $('#logout').addEventListener('click', async () => {
      stop();
      await fetch('logout', { method: 'POST', credentials: 'same-origin' });
      document.body.replaceChildren(el('p', { class: 'empty' }, 'Signed out. Run `verdict ui` to sign in again.'));
    });
    window.addEventListener('hashchange', openFromHash);
    openFromHash();
    refresh(true);
    start();
  });
})();
