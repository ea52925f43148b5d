/* feidi: choosing enclaves to compare, and the side-by-side table on compare/.
 *
 * The chosen set lives in the URL of the comparison (compare/?e=a,b,c; the no-JS form's
 * ?e=a&e=b is read too) and, for convenience across pages, in localStorage. Every text that
 * comes from the content is put in the page with textContent, never as HTML.
 */
(function () {
  'use strict';

  var KEY = 'feidi.compare';
  var MAX = 6;
  var texts = document.getElementById('compare-texts');
  if (!texts) return;
  var root = texts.getAttribute('data-root') || '';

  function isSlug(s) { return typeof s === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(s); }

  function unique(list) {
    var out = [];
    list.forEach(function (s) { if (out.indexOf(s) < 0) out.push(s); });
    return out;
  }

  function load() {
    try {
      var v = JSON.parse(window.localStorage.getItem(KEY) || '[]');
      return Array.isArray(v) ? unique(v.filter(isSlug)).slice(0, MAX) : [];
    } catch (e) {
      return [];
    }
  }

  function save(list) {
    try { window.localStorage.setItem(KEY, JSON.stringify(list)); } catch (e) { /* private mode */ }
  }

  /* Both ?e=a,b,c and ?e=a&e=b (and a mix of the two). */
  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    var out = [];
    params.getAll('e').forEach(function (v) {
      v.split(',').forEach(function (s) { s = s.trim().toLowerCase(); if (s) out.push(s); });
    });
    return unique(out);
  }

  function query(list) { return list.length ? '?e=' + list.map(encodeURIComponent).join(',') : ''; }
  function compareUrl(list) { return root + 'compare/' + query(list); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }

  var side = document.getElementById('side');
  var chosen = load();
  if (side) {
    var wanted = fromUrl();
    if (wanted.length) {
      chosen = wanted;
    } else if (chosen.length) {
      // Arriving without a set: show the one chosen elsewhere, and put it in the URL.
      window.history.replaceState(null, '', window.location.pathname + query(chosen) + window.location.hash);
    }
  }

  /* A polite live region announces changes to screen readers. */
  var live = document.createElement('p');
  live.className = 'sr-only';
  live.setAttribute('aria-live', 'polite');
  document.body.appendChild(live);

  function announce(key) {
    var t = texts.getAttribute(key);
    if (t) live.textContent = fill(t, { n: chosen.filter(isSlug).length });
  }

  /* Compare links (navigation, footer) point at the chosen set and show its size. */
  function updateLinks() {
    var n = chosen.filter(isSlug).length;
    var links = document.querySelectorAll('.site-nav a, .site-footer a');
    Array.prototype.forEach.call(links, function (a) {
      var href = a.getAttribute('href') || '';
      var base = href.split('?')[0];
      if (base !== root + 'compare/') return;
      a.setAttribute('href', compareUrl(chosen.filter(isSlug)));
      var badge = a.querySelector('.compare-badge');
      if (!n) {
        if (badge) badge.remove();
        return;
      }
      if (!badge) {
        badge = document.createElement('span');
        badge.className = 'compare-badge';
        a.appendChild(badge);
      }
      badge.textContent = String(n);
      badge.setAttribute('title', fill(texts.getAttribute('data-chosen') || '', { n: n }));
    });
  }

  // Rows of the enclave tables carry no button in the HTML (a table lists up to a hundred
  // enclaves, on many pages): each gets its own here, after its name.
  function addRowButtons() {
    var cells = document.querySelectorAll('table.enclaves-table tr[data-slug] > th.col-name');
    Array.prototype.forEach.call(cells, function (th) {
      if (th.querySelector('button[data-compare]')) return;
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'compare-toggle';
      b.setAttribute('data-compare', th.parentNode.getAttribute('data-slug'));
      th.appendChild(b);
    });
  }

  function updateButtons() {
    var full = chosen.length >= MAX;
    addRowButtons();
    var buttons = document.querySelectorAll('button[data-compare]');
    Array.prototype.forEach.call(buttons, function (b) {
      var slug = b.getAttribute('data-compare');
      var on = chosen.indexOf(slug) >= 0;
      b.hidden = false;
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      b.disabled = full && !on;
      var text = texts.getAttribute(on ? 'data-added' : (full ? 'data-full' : 'data-add')) || '';
      b.textContent = text;
      // The visible text, then the enclave's name: the row's link, or the page's heading.
      var row = b.closest('tr[data-slug], li[data-slug]');
      var link = row && row.querySelector('a[href]');
      var name = (link || document.querySelector('h1') || b).textContent.trim();
      b.setAttribute('aria-label', text + (texts.getAttribute('data-colon') || ': ') + name);
    });
    if (side) {
      var boxes = document.querySelectorAll('#compare-form input[name="e"]');
      Array.prototype.forEach.call(boxes, function (c) { c.checked = chosen.indexOf(c.value) >= 0; });
    }
  }

  function commit(message) {
    chosen = unique(chosen);
    save(chosen.filter(isSlug).slice(0, MAX));
    if (side) {
      window.history.replaceState(null, '', window.location.pathname + query(chosen) + window.location.hash);
      renderSide();
    }
    updateButtons();
    updateLinks();
    if (message) announce(message);
  }

  document.addEventListener('click', function (ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-compare]') : null;
    if (!b) return;
    var slug = b.getAttribute('data-compare');
    var i = chosen.indexOf(slug);
    if (i >= 0) {
      chosen.splice(i, 1);
      commit('data-live-removed');
    } else if (chosen.length < MAX) {
      chosen.push(slug);
      commit('data-live-added');
    }
  });

  /* ---------- the side-by-side table on compare/ ---------- */

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* The comparison data comes in chunks (compare/data-<n>.<hash>.js), each holding some
   * enclaves; an enclave's chunk is FNV-1a of its slug modulo the number of chunks, as the
   * build computes it. Only the chosen enclaves' chunks are loaded, by script tags so that the
   * page works from file:// too. */
  function chunkOf(slug, n) {
    var h = 0x811c9dc5;
    for (var i = 0; i < slug.length; i++) {
      h = Math.imul((h ^ slug.charCodeAt(i)) >>> 0, 0x01000193) >>> 0;
    }
    return h % n;
  }

  /* Calls back with a lookup slug → {row, S} (null when unknown) once the chunks of `slugs`
   * are loaded; with null when there is no data at all. */
  function withData(slugs, done) {
    var data = window.FEIDI_COMPARE;
    if (!data || !data.chunks || !data.chunks.length) { done(null); return; }
    var n = data.chunks.length;
    var store = window.FEIDI_COMPARE_CHUNKS || (window.FEIDI_COMPARE_CHUNKS = {});
    var lookup = function (slug) {
      var c = store[chunkOf(slug, n)];
      if (!c || !Object.prototype.hasOwnProperty.call(c.e, slug)) return null;
      return { row: c.e[slug], S: c.s };
    };
    var missing = unique(slugs.filter(isSlug).map(function (s) { return chunkOf(s, n); }))
      .filter(function (i) { return !store[i]; });
    var left = missing.length;
    if (!left) { done(lookup); return; }
    missing.forEach(function (i) {
      var script = document.createElement('script');
      script.src = root + data.chunks[i];
      script.onload = script.onerror = function () { if (--left === 0) done(lookup); };
      document.head.appendChild(script);
    });
  }

  /* A value with its texts looked up, so that values from different chunks compare. */
  function resolved(v, S) {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return S[v];
    return v.map(function (x) { return Array.isArray(x) ? x.map(function (i) { return i === null ? null : S[i]; }) : S[x]; });
  }

  function renderSide() {
    withData(chosen, drawSide);
  }

  function drawSide(lookup) {
    var data = window.FEIDI_COMPARE;
    var wrap = document.getElementById('side-wrap');
    var table = document.getElementById('side-table');
    var status = document.getElementById('side-status');
    var clear = document.getElementById('side-clear');
    if (!data || !lookup || !wrap || !table || !status) return;
    var fields = data.f;
    var known = chosen.filter(function (s) { return lookup(s) !== null; });
    var unknown = chosen.filter(function (s) { return known.indexOf(s) < 0; });
    var shown = known.slice(0, MAX);

    status.textContent = '';
    var say = function (text) { if (text) status.appendChild(el('p', 'empty', text)); };
    if (unknown.length) say(fill(side.getAttribute('data-unknown') || '', { slugs: unknown.join(', ') }));
    if (known.length > MAX) say(side.getAttribute('data-too-many'));
    if (shown.length === 0) say(side.getAttribute('data-empty'));
    else if (shown.length === 1) say(side.getAttribute('data-one'));
    if (clear) clear.hidden = chosen.length === 0;

    // Drop the previous columns, keep the field column.
    Array.prototype.forEach.call(table.querySelectorAll('tr'), function (tr) {
      while (tr.cells.length > 1) tr.deleteCell(1);
    });
    wrap.hidden = shown.length === 0;
    var silentNote = document.getElementById('side-silent');
    if (silentNote && !shown.length) silentNote.hidden = true;
    if (!shown.length) return;

    var nr = side.getAttribute('data-nr') || '';
    var sideRoot = side.getAttribute('data-root') || '';
    var headRow = table.tHead.rows[0];
    shown.forEach(function (slug) {
      var found = lookup(slug);
      var label = found.S[found.row[0]];
      var th = el('th', 'col-head');
      th.setAttribute('scope', 'col');
      th.setAttribute('data-slug', slug);
      var a = el('a', '', label);
      a.setAttribute('href', sideRoot + 'enclaves/' + slug + '/');
      th.appendChild(a);
      var remove = el('button', 'col-remove', side.getAttribute('data-remove') || '×');
      remove.type = 'button';
      remove.setAttribute('data-remove', slug);
      remove.setAttribute('aria-label', (side.getAttribute('data-remove') || '') + ' ' + label);
      th.appendChild(el('br'));
      th.appendChild(remove);
      headRow.appendChild(th);
    });

    // How many columns: the narrow layout puts each field above its values, one per column.
    table.style.setProperty('--n', String(shown.length));
    var silent = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var f = fields.indexOf(tr.getAttribute('data-field'));
      var values = shown.map(function (slug) {
        var found = lookup(slug);
        return f < 0 ? null : resolved(found.row[f], found.S);
      });
      values.forEach(function (v) { tr.appendChild(cell(v, nr)); });
      // A difference is two reported values that are not the same; a value reported for some
      // enclaves and not for others is marked apart, since "not reported" is no value.
      var reported = values.filter(function (v) { return !isEmpty(v); }).map(function (v) { return JSON.stringify(v); });
      var differs = reported.some(function (v) { return v !== reported[0]; });
      var partial = reported.length > 0 && reported.length < values.length && shown.length > 1;
      tr.classList.toggle('differs', differs);
      tr.classList.toggle('partial', partial);
      var mark = tr.querySelector('.diff-mark');
      if (mark) mark.hidden = !differs;
      var pmark = tr.querySelector('.partial-mark');
      if (pmark) pmark.hidden = !partial;
      // A field none of them reports says nothing about them: one line below names them all.
      tr.hidden = reported.length === 0;
      if (!reported.length) silent.push(tr.cells[0].firstChild.textContent.trim());
    });
    var silentEl = document.getElementById('side-silent');
    if (silentEl) {
      silentEl.hidden = silent.length === 0;
      silentEl.textContent = silent.length ?
        fill(side.getAttribute('data-none-report') || '', { fields: silent.join(side.getAttribute('data-sep') || ', ') }) : '';
    }
  }

  function isEmpty(v) {
    return v === null || v === undefined || (Array.isArray(v) && v.length === 0);
  }

  function cell(v, nr) {
    var td = document.createElement('td');
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) {
      td.appendChild(el('span', 'nr', nr));
    } else if (typeof v === 'string') {
      td.textContent = v;
    } else if (Array.isArray(v[0])) {
      // Sources: [title, url, date].
      var ol = el('ol', 'sources');
      v.forEach(function (src) {
        var li = document.createElement('li');
        var url = src[1] === null ? '' : src[1];
        if (/^https?:\/\//i.test(url)) {
          var a = el('a', '', src[0]);
          a.setAttribute('href', url);
          a.setAttribute('rel', 'external noopener');
          li.appendChild(a);
        } else {
          li.appendChild(el('cite', '', src[0]));
        }
        if (src[2] !== null) li.appendChild(el('span', 'muted', ' (' + src[2] + ')'));
        ol.appendChild(li);
      });
      td.appendChild(ol);
    } else {
      var ul = el('ul', 'plain');
      v.forEach(function (t) { ul.appendChild(el('li', '', t)); });
      td.appendChild(ul);
    }
    return td;
  }

  if (side) {
    side.addEventListener('click', function (ev) {
      var b = ev.target.closest ? ev.target.closest('button[data-remove]') : null;
      if (b) {
        chosen = chosen.filter(function (s) { return s !== b.getAttribute('data-remove'); });
        commit('data-live-removed');
        var next = document.querySelector('#side-table .col-remove') || document.getElementById('h-side');
        if (next) next.focus();
      } else if (ev.target.id === 'side-clear') {
        chosen = [];
        commit('data-live-removed');
        document.getElementById('h-side').setAttribute('tabindex', '-1');
        document.getElementById('h-side').focus();
      }
    });
    var form = document.getElementById('compare-form');
    if (form) {
      // Ticking a box updates the table at once; the button then just jumps to it.
      form.addEventListener('change', function (ev) {
        var c = ev.target;
        if (!c || c.name !== 'e') return;
        if (c.checked) {
          if (chosen.length >= MAX) {
            c.checked = false;
            announce('data-full');
            return;
          }
          chosen.push(c.value);
          commit('data-live-added');
        } else {
          chosen = chosen.filter(function (s) { return s !== c.value; });
          commit('data-live-removed');
        }
      });
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        side.scrollIntoView();
        var h = document.getElementById('h-side');
        h.setAttribute('tabindex', '-1');
        h.focus();
      });
    }
  }

  function start() {
    if (side) {
      // The set in the address becomes the current one on other pages too (known slugs only).
      withData(chosen, function (lookup) {
        if (lookup) save(chosen.filter(function (s) { return lookup(s) !== null; }).slice(0, MAX));
        drawSide(lookup);
        updateButtons();
        updateLinks();
      });
    }
    updateButtons();
    updateLinks();
  }
  // compare-data.js is a deferred script too: every deferred script has run by DOMContentLoaded.
  if (document.readyState === 'complete') start();
  else document.addEventListener('DOMContentLoaded', start);

  // Buttons and table rows added later (e.g. search results drawn by search.js) get their
  // buttons and state too.
  if (window.MutationObserver) {
    var pending = false;
    new MutationObserver(function (records) {
      if (pending) return;
      var found = records.some(function (r) {
        return Array.prototype.some.call(r.addedNodes, function (n) {
          return n.nodeType === 1 && (n.matches('button[data-compare], tr[data-slug]') ||
            n.querySelector('button[data-compare], tr[data-slug]'));
        });
      });
      if (!found) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; updateButtons(); });
    }).observe(document.body, { childList: true, subtree: true });
  }

  // Keep pages in step when the set changes in another tab.
  window.addEventListener('storage', function (ev) {
    if (ev.key !== KEY || side) return;
    chosen = load();
    updateButtons();
    updateLinks();
  });
})();
