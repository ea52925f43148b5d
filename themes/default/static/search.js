/*
 * feidi search: queries the index that `feidi build` writes (src/index/search/) in the browser.
 *
 * No framework and no server. The index is a script that assigns to a global, loaded with a
 * <script> tag, because browsers refuse fetch() on file:// and the site must work opened from
 * disk. Body shards load the same way, only when a query needs them, after the first results.
 *
 * Text is normalised exactly as src/index/search/text.rs does it (NFKD, no marks, lower case;
 * punctuation ignored), so keys built in Rust and queries typed here agree; both are checked
 * against the cases in tests/fixtures/search-normalise.json.
 *
 * The index says which format it is in and names the fields of its records; a script that
 * finds another format, or a field missing, says so and leaves the page's table as it is.
 *
 * Everything taken from content reaches the page through textContent, never innerHTML.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- normalisation (text.rs)
  var MARKS = /\p{M}/gu;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var SPACE = /\p{White_Space}/u; // as Rust's char::is_whitespace: U+0085 yes, U+FEFF no
  var LATIN = 0, CJK = 1, SP = 2, OTHER = 3;

  function fold(s) {
    return s.normalize('NFKD').replace(MARKS, '').toLowerCase();
  }

  var clsCache = new Map();

  function cls(ch) {
    var k = ch.charCodeAt(0);
    if ((k >= 97 && k <= 122) || (k >= 48 && k <= 57)) return LATIN;
    if (k < 128) return k === 32 || (k >= 9 && k <= 13) ? SP : OTHER;
    var c = clsCache.get(ch);
    if (c === undefined) {
      c = SPACE.test(ch) ? SP : WORD.test(ch) ? CJK : OTHER;
      clsCache.set(ch, c);
    }
    return c;
  }

  /** A bit for the first letter of a reading (digits share bits: it is only a filter). */
  function letterBit(code) {
    return code >= 97 ? 1 << (code - 97) : 1 << (26 + (code % 6));
  }

  /** FNV-1a over UTF-16 code units: text::hash in Rust. */
  function hash(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /**
   * The search keys of folded text, as text::Keys in Rust: onto `w` its Latin words, a compound
   * (words joined by punctuation alone: `hi-tech-zone`) as each part joined with the parts after
   * it (`hitechzone techzone zone`), so that any part or run of parts is a prefix of a key; onto
   * `g`, when given, the bigrams of its runs of other letters (punctuation and white space do not
   * break a run, a Latin word does). White space or a Chinese character ends a compound.
   */
  function keysOf(s, w, g) {
    var parts = [], inWord = false, prev = '';
    for (var ch of s) {
      var k = cls(ch);
      if (k === LATIN) {
        if (inWord) parts[parts.length - 1] += ch;
        else parts.push(ch);
        inWord = true;
        prev = '';
        continue;
      }
      inWord = false;
      if (k === OTHER) continue;
      for (var i = 0; i < parts.length; i++) w.push(parts.slice(i).join(''));
      parts.length = 0;
      if (k === CJK) {
        if (g && prev) g.push(prev + ch);
        prev = ch;
      }
    }
    for (var j = 0; j < parts.length; j++) w.push(parts.slice(j).join(''));
  }

  /**
   * Prepares a text for matching: `c` is its letters and digits run together (punctuation,
   * brackets and spaces dropped), for Chinese substrings and pinyin; `w` lists its Latin keys
   * (keysOf) as " k1 k2 ... " so that a word prefix is an indexOf(" " + prefix).
   */
  function prep(texts) {
    var c = [], w = [];
    for (var i = 0; i < texts.length; i++) {
      var s = fold(texts[i] || '');
      keysOf(s, w, null);
      var cs = '';
      for (var ch of s) if (cls(ch) <= CJK) cs += ch;
      if (cs) c.push(cs);
    }
    // \u0001 keeps fields apart, so a substring never spans two of them.
    return { c: c.join('\u0001'), w: w.length ? ' ' + w.join(' ') + ' ' : '' };
  }

  /**
   * Query words: split at white space and where Latin meets Chinese; punctuation dropped.
   * Returns [{s, latin}].
   */
  function tokenize(q) {
    var out = [], cur = '', curLatin = false;
    for (var ch of fold(q)) {
      var k = cls(ch);
      if (k === SP) {
        if (cur) out.push({ s: cur, latin: curLatin });
        cur = '';
      } else if (k !== OTHER) {
        var l = k === LATIN;
        if (cur && l !== curLatin) {
          out.push({ s: cur, latin: curLatin });
          cur = '';
        }
        cur += ch;
        curLatin = l;
      }
    }
    if (cur) out.push({ s: cur, latin: curLatin });
    return out;
  }

  // For the tests of the text rules only (tests/search.rs): a page that defines the object
  // window.feidiSearchTest before this script runs gets the functions that must agree with
  // text.rs, to check them against tests/fixtures/search-normalise.json. Nothing else uses it.
  var testHook = window.feidiSearchTest;
  if (testHook && typeof testHook === 'object') {
    var unique = function (a) {
      return a.filter(function (x, i) { return a.indexOf(x) === i; });
    };
    testHook.fold = fold;
    testHook.classes = function (s) {
      var out = '';
      for (var ch of s) out += 'LWSO'.charAt(cls(ch));
      return out;
    };
    testHook.keys = function (text) {
      var w = [], g = [];
      keysOf(fold(text), w, g);
      return { words: unique(w), grams: unique(g) };
    };
  }

  var root = document.getElementById('search');
  if (!root) return;
  var form = root.querySelector('form');
  var input = root.querySelector('input[type=search]');
  var statusEl = document.getElementById('search-status');
  var activeEl = document.getElementById('search-active');
  var list = document.getElementById('search-results');
  var moreBtn = document.getElementById('search-more');
  var tableSection = document.getElementById('search-table');
  var staticFacets = document.getElementById('search-static-facets');
  var compact = root.dataset.mode === 'compact';
  var lang = root.dataset.lang || 'zh-CN';
  var enclaveBase = root.dataset.base || '';
  var seeAll = document.getElementById('search-see-all');
  var PAGE = compact ? 8 : 50;

  /** Interface text from data-t-* attributes; {n}-style placeholders filled from `args`. */
  function t(key, args) {
    var s = root.dataset['t' + key.charAt(0).toUpperCase() + key.slice(1)] || '';
    if (args) {
      Object.keys(args).forEach(function (k) {
        s = s.split('{' + k + '}').join(String(args[k]));
      });
    }
    return s;
  }

  // ---------------------------------------------------------------- the index, prepared
  var X = null; // the prepared index

  /** The format of the index this script reads: FORMAT in src/index/search/mod.rs. */
  var FORMAT = 2;

  /** The fields this script reads, by kind of record; the index lists where each one is. */
  var FIELDS = {
    entries: ['slug', 'name', 'en', 'home', 'host', 'sectors', 'model', 'ops', 'status', 'kind', 'texts'],
    places: ['id', 'name', 'en', 'aliases', 'level', 'rollup', 'city', 'prov'],
    terms: ['id', 'name', 'en', 'aliases'],
    operators: ['id', 'name', 'en', 'aliases', 'kind'],
  };

  /**
   * Checks that `raw` is an index this script can read. Returns the positions of the fields by
   * kind of record ({entries: {slug: 0, ...}, ...}), or a string saying what is wrong.
   */
  function layout(raw) {
    if (!raw || typeof raw !== 'object') return 'no index';
    if (raw.v !== FORMAT) {
      return 'the index is in format ' + raw.v + ' but this script reads format ' + FORMAT +
        ' (the page and its index come from different builds)';
    }
    var at = {};
    var kinds = Object.keys(FIELDS);
    for (var i = 0; i < kinds.length; i++) {
      var names = raw.fields && raw.fields[kinds[i]];
      if (!Array.isArray(names)) return 'the index does not list the fields of its ' + kinds[i];
      var pos = {};
      for (var j = 0; j < FIELDS[kinds[i]].length; j++) {
        var f = FIELDS[kinds[i]][j], k = names.indexOf(f);
        if (k < 0) return 'the ' + kinds[i] + ' of the index have no field ' + f;
        pos[f] = k;
      }
      at[kinds[i]] = pos;
    }
    if (!Array.isArray(raw.statuses)) return 'the index does not list its statuses';
    return at;
  }

  function prepare(raw, at) {
    var E = at.entries, P = at.places, T = at.terms, O = at.operators;
    // Readings by UTF-16 code unit, and a bit mask of their first letters so that a scan can
    // skip a character at the cost of one array read (characters outside the BMP have none).
    var read = new Array(65536);
    var initials = new Uint32Array(65536);
    var addReading = function (unit, reading) {
      (read[unit] || (read[unit] = [])).push(reading);
      initials[unit] |= letterBit(reading.charCodeAt(0));
    };
    Object.keys(raw.py).forEach(function (reading) {
      var chars = raw.py[reading];
      for (var i = 0; i < chars.length; i++) addReading(chars.charCodeAt(i), reading);
    });
    for (var d = 0; d < 36; d++) {
      var ch = d.toString(36);
      addReading(ch.charCodeAt(0), ch); // a Latin letter or digit in a name reads as itself
    }
    // A term matches by its names and aliases; by pinyin only through its name, because an
    // alias read in pinyin mostly adds noise (长江三角洲 would answer `zhangjiang`).
    // `F` gives the positions of the fields id, name, en and aliases in `rec`.
    function term(rec, F) {
      var id = rec[F.id], name = rec[F.name], en = rec[F.en];
      var names = [name].concat(rec[F.aliases] || []);
      var all = prep(names.concat([en || '', id]));
      return { id: id, name: name, en: en, c: prep(names).c, w: all.w, p: prep([name]).c };
    }
    var places = raw.places.map(function (r) {
      var x = term(r, P);
      x.level = r[P.level];
      x.rollup = r[P.rollup];
      x.city = r[P.city];
      x.prov = r[P.prov];
      return x;
    });
    var plain = function (r) { return term(r, T); };
    var sectors = raw.sectors.map(plain);
    var models = raw.models.map(plain);
    var opkinds = raw.opkinds.map(plain);
    var operators = raw.operators.map(function (r) {
      var x = term(r, O);
      x.kind = r[O.kind];
      return x;
    });
    var N = raw.entries.length;
    var entries = new Array(N);
    var lists = {
      place: places.map(function () { return []; }),
      sector: sectors.map(function () { return []; }),
      model: models.map(function () { return []; }),
      op: operators.map(function () { return []; }),
    };
    var stamp = new Int32Array(places.length).fill(-1);
    var facetKeys = ['host', 'home', 'region', 'sector', 'model', 'opkind', 'status'];
    var fv = {};
    facetKeys.forEach(function (k) { fv[k] = new Array(N); });
    for (var i = 0; i < N; i++) {
      var r = raw.entries[i];
      var e = {
        slug: r[E.slug], name: r[E.name], en: r[E.en], home: r[E.home], host: r[E.host], sectors: r[E.sectors],
        model: r[E.model], ops: r[E.ops], status: r[E.status], kind: r[E.kind],
      };
      var name = prep([e.name, e.en]);
      var own = prep([e.kind].concat(r[E.texts]));
      e.n = { c: name.c, w: name.w, p: prep([e.name]).c };
      e.o = { c: own.c, w: own.w, p: '' };
      var home = places[e.home], host = places[e.host];
      entries[i] = e;
      var regions = [];
      home.rollup.concat(host.rollup).forEach(function (p) {
        if (stamp[p] === i) return;
        stamp[p] = i;
        lists.place[p].push(i);
        if (places[p].level === 'region') regions.push(p);
      });
      e.sectors.forEach(function (s) { lists.sector[s].push(i); });
      if (e.model >= 0) lists.model[e.model].push(i);
      var kinds = [];
      e.ops.forEach(function (o) {
        lists.op[o].push(i);
        if (kinds.indexOf(operators[o].kind) < 0) kinds.push(operators[o].kind);
      });
      fv.host[i] = host.city === host.prov ? [host.city] : [host.city, host.prov];
      fv.home[i] = home.city === home.prov ? [home.city] : [home.city, home.prov];
      fv.region[i] = regions;
      fv.sector[i] = e.sectors;
      fv.model[i] = e.model >= 0 ? [e.model] : [];
      fv.opkind[i] = kinds;
      fv.status[i] = [e.status];
    }
    var statusIds = raw.statuses;
    var facets = facetKeys.map(function (k) {
      var tables = { host: places, home: places, region: places, sector: sectors, model: models, opkind: opkinds };
      var table = tables[k];
      var values = raw.facets[k].map(function (v) {
        var idx = v[0];
        var label, id;
        if (table) {
          id = table[idx].id;
          label = lang === 'en' && table[idx].en ? table[idx].en : table[idx].name;
        } else {
          id = statusIds[idx];
          label = t('status' + id.charAt(0).toUpperCase() + id.slice(1));
        }
        return { idx: idx, depth: v[1], id: id, label: label };
      });
      var byId = new Map();
      values.forEach(function (v) { byId.set(v.id, v); });
      return { key: k, values: values, byId: byId, of: fv[k], sel: new Set() };
    });
    return {
      read: read, initials: initials, places: places, sectors: sectors, models: models, operators: operators,
      entries: entries, N: N, lists: lists, facets: facets, shards: raw.shards, shardData: [], shardState: [],
      statuses: statusIds,
    };
  }

  // ---------------------------------------------------------------- matching
  /** Does the Latin query `q` spell, from position `i` of `s`, consecutive characters' pinyin?
   *  Each character may be given by its full reading or its initial (`zh`/`ch`/`sh` too); the
   *  last one may be a prefix of its reading, so results come as you type. */
  function pyFrom(s, i, q, p) {
    if (p === q.length) return true;
    if (i >= s.length) return false;
    var rs = X.read[s.charCodeAt(i)];
    if (!rs) return false;
    var qc = q.charCodeAt(p), left = q.length - p, triedInitial = false;
    for (var k = 0; k < rs.length; k++) {
      var r = rs[k];
      if (r.charCodeAt(0) !== qc) continue;
      if (left <= r.length) {
        if (r.startsWith(q.slice(p))) return true;
      } else if (q.startsWith(r, p) && pyFrom(s, i + 1, q, p + r.length)) {
        return true;
      }
      if (!triedInitial) {
        triedInitial = true;
        if (pyFrom(s, i + 1, q, p + 1)) return true;
      }
      if (r.length > 2 && r.charCodeAt(1) === 104 && q.charCodeAt(p + 1) === 104 && pyFrom(s, i + 1, q, p + 2)) {
        return true;
      }
    }
    return false;
  }

  function pyMatch(s, q) {
    var bit = letterBit(q.charCodeAt(0)), init = X.initials;
    for (var i = 0; i < s.length; i++) {
      // Latin letters and digits in a name form words: a match starts at a word's start.
      if (init[s.charCodeAt(i)] & bit && !(i > 0 && isAlnum(s.charCodeAt(i)) && isAlnum(s.charCodeAt(i - 1))) &&
          pyFrom(s, i, q, 0)) {
        return true;
      }
    }
    return false;
  }

  function isAlnum(code) {
    return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
  }

  /** Does a prepared text match a query word? Chinese: a substring; Latin: a word prefix or
   *  pinyin. */
  function textHit(x, tok) {
    if (tok.latin) {
      return (x.w !== '' && x.w.indexOf(tok.word) >= 0) || (x.p !== '' && pyMatch(x.p, tok.s));
    }
    return x.c.indexOf(tok.s) >= 0;
  }

  // Scores of one query word in one entry: a name beats places and the rest, which beat the
  // body; among places, the enclave's own place or city beats a province or region.
  var NAME = 40, META = 22, WIDE = 21, BODY = 10;

  var tokenCache = new Map();

  /**
   * Scores for one query word, by entry: NAME, META or WIDE (places, sectors, operators, model,
   * short texts), 0 for no match (yet: the body adds BODY later). A single Chinese character
   * only matches names, places and sectors.
   */
  function tokenTiers(tok) {
    var key = (tok.latin ? 'l:' : 'c:') + tok.s;
    var hit = tokenCache.get(key);
    if (hit) return hit;
    var N = X.N, tiers = new Uint8Array(N);
    tok.word = ' ' + tok.s; // a word prefix starts after a space
    var single = !tok.latin && Array.from(tok.s).length === 1;
    var mark = function (listArr, terms) {
      for (var j = 0; j < terms.length; j++) {
        if (textHit(terms[j], tok)) {
          var level = terms[j].level;
          var score = level === 'region' || level === 'province' ? WIDE : META;
          var l = listArr[j];
          for (var m = 0; m < l.length; m++) if (tiers[l[m]] < score) tiers[l[m]] = score;
        }
      }
    };
    mark(X.lists.place, X.places);
    mark(X.lists.sector, X.sectors);
    if (!single) {
      mark(X.lists.op, X.operators);
      mark(X.lists.model, X.models);
    }
    for (var i = 0; i < N; i++) {
      var e = X.entries[i];
      if (textHit(e.n, tok)) tiers[i] = NAME;
      else if (!single && tiers[i] < META && textHit(e.o, tok)) tiers[i] = META;
    }
    if (tokenCache.size > 64) tokenCache.clear();
    tokenCache.set(key, tiers);
    return tiers;
  }

  /** The body keys of a query word: bigrams, or the word itself (a prefix); none when short. */
  function bodyKeys(tok) {
    if (tok.latin) {
      return tok.s.length >= 2 ? [{ g: false, k: tok.s, shard: hash(tok.s.slice(0, 2)) % X.shards.length }] : [];
    }
    var grams = [];
    keysOf(tok.s, [], grams);
    return grams.map(function (b) {
      return { g: true, k: b, shard: hash(b) % X.shards.length };
    });
  }

  /** Walks a posting list (first index, then gaps; -k is a run of k consecutive indexes). */
  function decode(list, fn) {
    var x = 0;
    for (var i = 0; i < list.length; i++) {
      var d = list[i];
      if (d < 0) {
        for (var j = 0; j < -d; j++) fn(++x);
      } else {
        x = i === 0 ? d : x + d;
        fn(x);
      }
    }
  }

  var bodyCache = new Map();

  /** Entries whose body matches the word, or null while a shard it needs is not loaded. */
  function bodyHits(tok, keys) {
    var ck = (tok.latin ? 'l:' : 'c:') + tok.s;
    if (bodyCache.has(ck)) return bodyCache.get(ck);
    for (var i = 0; i < keys.length; i++) if (!X.shardData[keys[i].shard]) return null;
    var hits = new Uint8Array(X.N);
    if (tok.latin) {
      var words = X.shardData[keys[0].shard].w;
      Object.keys(words).forEach(function (w) {
        if (w.startsWith(tok.s)) decode(words[w], function (x) { hits[x] = 1; });
      });
    } else {
      // Every bigram of the word must occur in the body.
      var counts = new Uint16Array(X.N), seen = new Set();
      keys.forEach(function (k) {
        if (seen.has(k.k)) return;
        seen.add(k.k);
        var list = X.shardData[k.shard].g[k.k];
        if (list) decode(list, function (x) { counts[x]++; });
      });
      for (var m = 0; m < X.N; m++) hits[m] = counts[m] === seen.size ? 1 : 0;
    }
    if (bodyCache.size > 64) bodyCache.clear();
    bodyCache.set(ck, hits);
    return hits;
  }

  function loadShard(n) {
    if (X.shardState[n]) return;
    X.shardState[n] = 'loading';
    loadScript(new URL(X.shards[n], coreUrl).href, function (ok) {
      var g = window.feidiSearchShards;
      X.shardData[n] = ok && g && g[n] ? g[n] : { g: {}, w: {} };
      X.shardState[n] = 'done';
      update({ url: false });
    });
  }

  var pyCache = new Map();

  /** Does `q` spell in pinyin the name of any enclave or term? */
  function pyAnywhere(q) {
    if (pyCache.has(q)) return pyCache.get(q);
    var found = false;
    var groups = [X.places, X.sectors, X.models, X.operators];
    for (var g = 0; g < groups.length && !found; g++) {
      for (var i = 0; i < groups[g].length && !found; i++) {
        found = groups[g][i].p !== '' && pyMatch(groups[g][i].p, q);
      }
    }
    for (var e = 0; e < X.N && !found; e++) found = pyMatch(X.entries[e].n.p, q);
    if (pyCache.size > 256) pyCache.clear();
    pyCache.set(q, found);
    return found;
  }

  /** Adjacent Latin words that together spell in pinyin a name in the directory are one word
   *  (`wu xi` is `wuxi`); otherwise every word must match (`wuxi shenzhen`, `china merchants`). */
  function groupTokens(toks) {
    var out = [];
    for (var i = 0; i < toks.length; i++) {
      if (toks[i].latin) {
        var j = i;
        while (j + 1 < toks.length && toks[j + 1].latin) j++;
        if (j > i) {
          var joined = { s: toks.slice(i, j + 1).map(function (x) { return x.s; }).join(''), latin: true };
          if (pyAnywhere(joined.s)) {
            out.push(joined);
            i = j;
            continue;
          }
        }
      }
      out.push(toks[i]);
    }
    return out;
  }

  /**
   * Runs the words of a query: `ok[i]` whether entry i matches every word, `score[i]` how well,
   * `pending` whether body shards it needs are still on their way, `empty` for no words.
   */
  function match(q) {
    var toks = groupTokens(tokenize(q));
    var N = X.N, score = new Uint16Array(N), ok = new Uint8Array(N).fill(1), pending = false;
    toks.forEach(function (tok) {
      var tiers = tokenTiers(tok);
      var keys = bodyKeys(tok);
      var body = keys.length ? bodyHits(tok, keys) : null;
      if (keys.length && !body) {
        pending = true;
        keys.forEach(function (k) { loadShard(k.shard); });
      }
      for (var i = 0; i < N; i++) {
        var tier = tiers[i] || (body && body[i] ? BODY : 0);
        if (tier) score[i] += tier;
        else ok[i] = 0;
      }
    });
    return { score: score, ok: ok, pending: pending, empty: toks.length === 0 };
  }

  /** Runs the matching code once on throwaway words, so that the JavaScript engine has
   *  compiled it before the visitor's first query. */
  function warm() {
    var all = new Uint8Array(X.N).fill(1);
    [{ s: 'zx', latin: true }, { s: '中心', latin: false }].forEach(function (tok) {
      filter({ ok: all, score: tokenTiers(tok) });
    });
    tokenCache.clear();
  }

  // ---------------------------------------------------------------- facets
  var facetBoxes = []; // per facet: {inputs: Map value index -> {input, count, li, last}}

  function buildFacets() {
    var sec = document.createElement('section');
    sec.className = 'facets facets-live';
    sec.id = 'search-facets';
    sec.setAttribute('aria-labelledby', 'h-search-facets');
    var details = document.createElement('details');
    details.open = !window.matchMedia || window.matchMedia('(min-width: 48em)').matches;
    var summary = document.createElement('summary');
    var h = document.createElement('h2');
    h.id = 'h-search-facets';
    h.className = 'facets-title';
    h.textContent = t('facets');
    summary.appendChild(h);
    details.appendChild(summary);
    var grid = document.createElement('div');
    grid.className = 'facet-grid';
    X.facets.forEach(function (f, fi) {
      var box = { inputs: new Map() };
      facetBoxes[fi] = box;
      if (f.values.length < 2 && f.key !== 'host' && f.key !== 'home') return;
      var fs = document.createElement('fieldset');
      fs.className = 'facet facet-live';
      var lg = document.createElement('legend');
      lg.textContent = t('facet' + f.key.charAt(0).toUpperCase() + f.key.slice(1));
      fs.appendChild(lg);
      var ul = document.createElement('ul');
      ul.className = 'facet-values';
      f.values.forEach(function (v) {
        var li = document.createElement('li');
        if (v.depth) li.className = 'facet-child';
        var label = document.createElement('label');
        var cb = document.createElement('input');
        cb.type = 'checkbox';
        cb.name = f.key;
        cb.value = v.id;
        cb.dataset.facet = f.key;
        cb.addEventListener('change', function () {
          if (cb.checked) f.sel.add(v.idx);
          else f.sel.delete(v.idx);
          update({ url: 'push' });
        });
        var name = document.createElement('span');
        name.className = 'facet-name';
        name.textContent = v.label;
        var count = document.createElement('span');
        count.className = 'count num';
        label.appendChild(cb);
        label.appendChild(name);
        label.appendChild(document.createTextNode(' '));
        label.appendChild(count);
        li.appendChild(label);
        ul.appendChild(li);
        box.inputs.set(v.idx, { input: cb, count: count, li: li, last: -1 });
      });
      fs.appendChild(ul);
      grid.appendChild(fs);
    });
    details.appendChild(grid);
    sec.appendChild(details);
    if (staticFacets) {
      staticFacets.hidden = true;
      staticFacets.parentNode.insertBefore(sec, staticFacets);
    }
  }

  /** Applies the facets to the text matches: the results, and for each facet value how many
   *  results it would give (OR within a facet, AND across facets). */
  function filter(m) {
    var F = X.facets, nf = F.length, counts = F.map(function () { return new Map(); });
    var results = [];
    for (var i = 0; i < X.N; i++) {
      if (!m.ok[i]) continue;
      var fails = 0, failed = -1;
      for (var f = 0; f < nf; f++) {
        var sel = F[f].sel;
        if (!sel.size) continue;
        var vs = F[f].of[i], any = false;
        for (var k = 0; k < vs.length; k++) if (sel.has(vs[k])) { any = true; break; }
        if (!any) {
          fails++;
          failed = f;
          if (fails > 1) break;
        }
      }
      if (fails > 1) continue;
      for (var g = 0; g < nf; g++) {
        if (fails === 1 && g !== failed) continue;
        var vals = F[g].of[i], c = counts[g];
        for (var j = 0; j < vals.length; j++) c.set(vals[j], (c.get(vals[j]) || 0) + 1);
      }
      if (fails === 0) results.push(i);
    }
    results.sort(function (a, b) { return m.score[b] - m.score[a] || a - b; });
    return { results: results, counts: counts };
  }

  function renderFacetCounts(counts) {
    X.facets.forEach(function (f, fi) {
      facetBoxes[fi].inputs.forEach(function (box, idx) {
        var n = counts[fi].get(idx) || 0;
        var checked = f.sel.has(idx);
        if (box.input.checked !== checked) box.input.checked = checked;
        if (box.last !== n) {
          box.count.textContent = String(n);
          box.last = n;
        }
        var off = n === 0 && !checked;
        if (box.input.disabled !== off) {
          box.input.disabled = off;
          box.li.classList.toggle('is-empty', off);
        }
      });
    });
  }

  // ---------------------------------------------------------------- results
  var shown = []; // entry indexes in display order
  var rendered = 0;

  function placeName(i) {
    var p = X.places[i];
    return lang === 'en' && p.en ? p.en : p.name;
  }

  function item(i) {
    var e = X.entries[i];
    var li = document.createElement('li');
    li.className = 'result';
    li.dataset.slug = e.slug;
    var a = document.createElement('a');
    a.className = 'result-name';
    // Opened from disk, a folder link would show the folder, not its page.
    a.href = enclaveBase + e.slug + '/' + (location.protocol === 'file:' ? 'index.html' : '');
    a.textContent = lang === 'en' && e.en ? e.en : e.name;
    li.appendChild(a);
    var status = X.statuses[e.status];
    if (status !== 'active') {
      var tag = document.createElement('span');
      tag.className = 'tag tag-' + status;
      tag.textContent = t('status' + status.charAt(0).toUpperCase() + status.slice(1));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(tag);
    }
    if (lang !== 'en' && e.en) {
      var en = document.createElement('span');
      en.className = 'result-en';
      en.lang = 'en';
      en.textContent = e.en;
      li.appendChild(en);
    }
    var meta = document.createElement('span');
    meta.className = 'result-meta';
    var bits = [placeName(e.home) + ' → ' + placeName(e.host)];
    if (e.kind) bits.push(e.kind);
    if (e.sectors.length) {
      bits.push(e.sectors.map(function (s) {
        var x = X.sectors[s];
        return lang === 'en' && x.en ? x.en : x.name;
      }).join(t('listSep')));
    }
    meta.textContent = bits.join(' · ');
    li.appendChild(meta);
    return li;
  }

  function renderMore() {
    var frag = document.createDocumentFragment();
    var end = Math.min(shown.length, rendered + PAGE);
    for (var i = rendered; i < end; i++) frag.appendChild(item(shown[i]));
    list.appendChild(frag);
    rendered = end;
    if (moreBtn) {
      var left = shown.length - rendered;
      moreBtn.hidden = compact || left <= 0;
      moreBtn.textContent = t('more', { n: Math.min(left, PAGE) });
    }
  }

  /** A button that removes a filter (or, with `plain`, says what it does by its label alone). */
  function chip(label, onRemove, plain) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'chip-remove';
    b.textContent = label;
    if (!plain) b.setAttribute('aria-label', t('remove', { name: label }));
    b.addEventListener('click', function () {
      onRemove();
      update({ url: 'push' });
      input.focus();
    });
    return b;
  }

  /** The filters in force, each removable; with no result, a suggestion to remove one. */
  function renderActive(q, total) {
    if (!activeEl) return;
    activeEl.textContent = '';
    var chips = [];
    if (q.trim()) {
      chips.push(chip(t('removeQuery', { q: q.trim() }), function () { input.value = ''; }));
    }
    X.facets.forEach(function (f) {
      f.sel.forEach(function (idx) {
        var v = f.values.find(function (x) { return x.idx === idx; });
        chips.push(chip(v ? v.label : String(idx), function () { f.sel.delete(idx); }));
      });
    });
    activeEl.hidden = chips.length === 0;
    if (!chips.length) return;
    var lab = document.createElement('span');
    lab.className = 'chips-label';
    lab.textContent = total === 0 ? t('emptyHint') : t('active');
    activeEl.appendChild(lab);
    chips.forEach(function (c) { activeEl.appendChild(c); });
    if (chips.length > 1) {
      activeEl.appendChild(chip(t('clearAll'), function () {
        input.value = '';
        X.facets.forEach(function (f) { f.sel.clear(); });
      }, true));
    }
  }

  function anyFacet() {
    return X.facets.some(function (f) { return f.sel.size > 0; });
  }

  // ---------------------------------------------------------------- URL state
  function stateUrl() {
    var parts = [];
    var q = input.value.trim();
    if (q) parts.push('q=' + encodeURIComponent(q));
    if (X) {
      X.facets.forEach(function (f) {
        if (!f.sel.size) return;
        var ids = f.values.filter(function (v) { return f.sel.has(v.idx); }).map(function (v) { return v.id; });
        parts.push(f.key + '=' + ids.map(encodeURIComponent).join(','));
      });
    }
    return location.pathname + (parts.length ? '?' + parts.join('&') : '') + location.hash;
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    if (!X) return;
    X.facets.forEach(function (f) {
      f.sel.clear();
      params.getAll(f.key).forEach(function (v) {
        v.split(',').forEach(function (id) {
          var val = f.byId.get(id);
          if (val) f.sel.add(val.idx);
        });
      });
    });
  }

  var urlTimer = 0, typingPushed = false;

  /** Writes the state to the address bar; returns whether it changed it. */
  function writeUrl(mode) {
    var url = stateUrl();
    if (url === location.pathname + location.search + location.hash) return false;
    try {
      if (mode === 'push') history.pushState(null, '', url);
      else history.replaceState(null, '', url);
      return true;
    } catch (err) {
      // A browser may refuse history changes on a file:// page; the search still works.
      return false;
    }
  }

  /** Typing makes one history entry per stretch of typing: the first write adds it, later ones
   *  (debounced, so fast typing does not flood the history) replace it. */
  function writeTyping() {
    clearTimeout(urlTimer);
    urlTimer = 0;
    if (writeUrl(typingPushed ? 'replace' : 'push')) typingPushed = true;
  }

  /** Ends a stretch of typing, writing what is still pending. */
  function flushUrl() {
    if (urlTimer) writeTyping();
    typingPushed = false;
  }

  // ---------------------------------------------------------------- the loop
  function setState(state) {
    root.dataset.state = state;
    root.dataset.rendered = input.value;
  }

  function update(opts) {
    if (!X) {
      setState('loading');
      return;
    }
    var q = input.value;
    var m = match(q);
    var filtering = !m.empty || anyFacet();
    var f = filter(m);
    if (!compact) renderFacetCounts(f.counts);
    var active = compact ? !m.empty : filtering;
    shown = active ? f.results : [];
    list.textContent = '';
    rendered = 0;
    list.hidden = !active || f.results.length === 0;
    if (tableSection) tableSection.hidden = active;
    renderMore();
    if (moreBtn && !active) moreBtn.hidden = true;
    var n = f.results.length;
    var msg;
    if (!active) msg = compact ? '' : t('total', { n: X.N });
    else if (n === 0) msg = t('none');
    else msg = n === 1 ? t('countOne', { n: n }) : t('count', { n: n });
    if (m.pending) msg += ' ' + t('bodyPending');
    if (compact && active && n > PAGE && seeAll) {
      seeAll.hidden = false;
      seeAll.href = root.dataset.list + '?q=' + encodeURIComponent(q.trim());
      seeAll.textContent = t('seeAll', { n: n });
    } else if (seeAll) {
      seeAll.hidden = true;
    }
    if (statusEl && statusEl.textContent !== msg) statusEl.textContent = msg;
    if (!compact) renderActive(q, n);
    setState(m.pending ? 'pending' : 'done');
    // For benchmarks and tools: when results are on the page, and since which input event.
    root.dispatchEvent(new CustomEvent('feidi:search', {
      detail: { since: opts && opts.since, count: n, pending: m.pending },
    }));
    if (compact || !opts || !opts.url) return;
    if (opts.url === 'push') {
      flushUrl();
      writeUrl('push');
    } else if (opts.url === 'type') {
      clearTimeout(urlTimer);
      urlTimer = setTimeout(writeTyping, 300);
    }
  }

  // ---------------------------------------------------------------- loading
  var coreUrl = root.dataset.index ? new URL(root.dataset.index, document.baseURI).href : '';

  function loadScript(src, done) {
    var s = document.createElement('script');
    s.src = src;
    s.async = true;
    s.onload = function () { done(true); };
    s.onerror = function () { done(false); };
    document.head.appendChild(s);
  }

  var loading = false;

  function load() {
    if (loading || X) return;
    loading = true;
    setState('loading');
    if (statusEl && !compact) statusEl.textContent = t('loading');
    loadScript(coreUrl, function (ok) {
      var raw = ok ? window.feidiSearchIndex : null;
      var problem = raw ? layout(raw) : 'the index did not load from ' + coreUrl;
      if (typeof problem !== 'string') {
        try {
          X = prepare(raw, problem);
          problem = '';
        } catch (err) {
          X = null;
          problem = 'the index could not be read: ' + err;
        }
      }
      if (problem) {
        // The list below the search box stays as the page has it.
        setState('error');
        root.dataset.error = problem;
        if (statusEl) statusEl.textContent = t('failed');
        if (window.console) console.error('feidi search: ' + problem);
        return;
      }
      setTimeout(warm, 0);
      if (!compact) {
        buildFacets();
        var typed = input.value;
        readUrl();
        // What the visitor typed while the index loaded wins over the address.
        if (dirty) input.value = typed;
      }
      update({ url: false });
    });
  }

  // ---------------------------------------------------------------- events
  var dirty = false;

  input.addEventListener('input', function (ev) {
    if (!X) {
      dirty = true;
      load();
      return;
    }
    // The query runs at once on every keystroke; only the address bar update is debounced.
    update({ url: 'type', since: ev.timeStamp });
  });
  input.addEventListener('focus', load);
  input.addEventListener('blur', flushUrl);

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll('li > a.result-name'));
  }

  function open(a) {
    flushUrl();
    location.href = a.href;
  }

  input.addEventListener('keydown', function (ev) {
    // Keys that pick or confirm a candidate in a Chinese input method are not ours.
    if (ev.isComposing || ev.keyCode === 229) return;
    if (ev.key === 'ArrowDown') {
      var first = links()[0];
      if (first && !list.hidden) {
        ev.preventDefault();
        first.focus();
      }
    } else if (ev.key === 'Enter') {
      var top = !list.hidden && links()[0];
      if (top && input.value.trim()) {
        ev.preventDefault();
        open(top);
      } else if (!compact) {
        ev.preventDefault();
        flushUrl();
      }
    } else if (ev.key === 'Escape' && input.value) {
      input.value = '';
      update({ url: 'push' });
    }
  });

  list.addEventListener('keydown', function (ev) {
    var ls = links(), i = ls.indexOf(document.activeElement);
    if (i < 0) return;
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      if (i + 1 < ls.length) ls[i + 1].focus();
      else if (rendered < shown.length) {
        renderMore();
        links()[i + 1].focus();
      }
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (i > 0) ls[i - 1].focus();
      else input.focus();
    } else if (ev.key === 'Escape') {
      input.focus();
    }
  });
  list.addEventListener('click', flushUrl);

  if (moreBtn) moreBtn.addEventListener('click', renderMore);

  form.addEventListener('submit', function (ev) {
    if (compact) return; // the home page's form goes to the full list
    ev.preventDefault();
    flushUrl();
  });

  document.addEventListener('keydown', function (ev) {
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var el = document.activeElement;
    var tag = el && el.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el && el.isContentEditable)) return;
    ev.preventDefault();
    input.focus();
    input.select();
  });

  window.addEventListener('popstate', function () {
    if (!X) return;
    clearTimeout(urlTimer);
    urlTimer = 0;
    typingPushed = false;
    readUrl();
    update({ url: false });
  });
  window.addEventListener('pagehide', flushUrl);

  if (!compact || input.value) load();
  else setState('idle');
})();
