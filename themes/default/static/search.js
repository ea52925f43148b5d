/*
 * feidi search: queries the index that `feidi build` writes (src/assets/search/) in the browser.
 *
 * No framework and no server. Every index file is a script that assigns to a global, loaded
 * with a <script> tag, because browsers refuse fetch() on file:// and the site must work opened
 * from disk. The entry file holds the small tables and the names of the other files; a query
 * loads the key shards of its keys, then the record chunks of the rows it shows, then (for the
 * facet counts over every hit) the facet columns.
 *
 * Text is normalised exactly as src/assets/search/text.rs does it (NFKD, no marks, lower case;
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
  // The comparison's picker is a short list like the home page's, each result with an add
  // button, and leaves the address alone.
  var pick = root.dataset.mode === 'pick';
  var compact = root.dataset.mode === 'compact' || pick;
  var lang = root.dataset.lang || 'zh-CN';
  var siteRoot = root.dataset.root || '';
  // The list page shows results as rows of the enclave table, in `list` (its tbody).
  var resultTable = compact ? null : document.getElementById('search-results-table');
  var resultBox = (resultTable && document.getElementById('search-results-box')) || list;
  var pageTable = document.getElementById('enclave-table');
  var jumpEl = pick ? null : document.getElementById('search-jump');
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

  /** The format of the index this script reads: FORMAT in src/assets/search/mod.rs. */
  var FORMAT = 5;

  /** The fields this script reads, by kind of record; the index lists where each one is. */
  var FIELDS = {
    records: ['slug', 'name', 'en', 'home', 'host', 'sectors', 'status', 'kind', 'model', 'operators', 'area', 'opened'],
    columns: ['home', 'host', 'sectors', 'model', 'opkinds', 'status', 'order', 'operators', 'area', 'opened'],
    places: ['id', 'name', 'en', 'aliases', 'level', 'rollup', 'city', 'prov', 'page'],
    terms: ['id', 'name', 'en', 'aliases'],
    operators: ['id', 'name', 'en', 'aliases', 'kind'],
  };

  /**
   * Checks that `raw` is an index this script can read. Returns the positions of the fields by
   * kind of record ({records: {slug: 0, ...}, ...}), or a string saying what is wrong.
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
    // A column chunk gives each record's columns in a row, so their order is the format's.
    if (raw.fields.columns.join() !== FIELDS.columns.join()) return 'the index has columns in another order';
    if (!Array.isArray(raw.statuses)) return 'the index does not list its statuses';
    if (!Array.isArray(raw.keys) || !raw.lists || !Array.isArray(raw.lists.keys) || !raw.records ||
        !raw.columns || !Array.isArray(raw.operators)) {
      return 'the index does not list its files';
    }
    return at;
  }

  /** One kind of file the index is cut into: key shards, record chunks or facet columns. */
  function part(prefix, global, hashes, empty) {
    return {
      urls: hashes.map(function (h, i) { return new URL(prefix + '-' + i + '.' + h + '.js', coreUrl).href; }),
      global: global, data: [], state: [], empty: empty,
    };
  }

  function prepare(raw, at) {
    var P = at.places, T = at.terms, O = at.operators;
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
    // The readings of the characters of enclave names, for reading a query as pinyin: every
    // reading, every prefix of one, and the letters readings start with.
    var readings = raw.readings.slice().sort();
    var readSet = new Set(readings), prefixes = new Set(), starts = new Set();
    readings.forEach(function (r) {
      starts.add(r.charAt(0));
      for (var l = 1; l <= r.length; l++) prefixes.add(r.slice(0, l));
    });
    // A term matches by its names and aliases; by pinyin only through its name, because an
    // alias read in pinyin mostly adds noise (长江三角洲 would answer `zhangjiang`).
    // `F` gives the positions of the fields id, name, en and aliases in `rec`.
    function term(rec, F) {
      var id = rec[F.id], name = rec[F.name], en = rec[F.en];
      var names = [name].concat(rec[F.aliases] || []);
      var all = prep(names.concat([en || '', id]));
      return { id: id, name: name, en: en, c: prep(names).c, w: all.w, p: prep([name]).c };
    }
    var places = raw.places.map(function (r, i) {
      var x = term(r, P);
      x.i = i;
      x.level = r[P.level];
      x.rollup = r[P.rollup];
      x.city = r[P.city];
      x.prov = r[P.prov];
      x.page = r[P.page] === 1;
      return x;
    });
    places.forEach(function (x) {
      x.regions = x.rollup.filter(function (p) { return places[p].level === 'region'; });
      x.cityProv = x.city === x.prov ? [x.city] : [x.city, x.prov];
    });
    var plain = function (r) { return term(r, T); };
    var sectors = raw.sectors.map(plain);
    var models = raw.models.map(plain);
    var opkinds = raw.opkinds.map(plain);
    // The operators come in a file of their own, after the first results (operatorTable).
    var operatorRecord = function (r) {
      var x = term(r, O);
      x.kind = r[O.kind];
      return x;
    };
    var statusIds = raw.statuses;
    var facetKeys = ['host', 'home', 'region', 'sector', 'model', 'opkind', 'status'];
    var facets = facetKeys.map(function (k) {
      var tables = { host: places, home: places, region: places, sector: sectors, model: models, opkind: opkinds };
      var table = tables[k];
      var total = new Map();
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
        total.set(idx, v[2] || 0);
        return { idx: idx, depth: v[1], id: id, label: label };
      });
      var byId = new Map();
      values.forEach(function (v) { byId.set(v.id, v); });
      return { key: k, values: values, byId: byId, total: total, sel: new Set() };
    });
    return {
      read: read, initials: initials, places: places, sectors: sectors, models: models, operators: null,
      operatorRecord: operatorRecord, operatorFile: part('o', 'feidiSearchOperators', raw.operators, []),
      N: raw.count, facets: facets, statuses: statusIds, rec: at.records, prefix: raw.prefix,
      readings: readings, readSet: readSet, prefixes: prefixes, starts: starts,
      keys: part('k', 'feidiSearchKeys', raw.keys, {}),
      lists: part('l', 'feidiSearchLists', raw.lists.files, ''),
      longKeys: new Map(raw.lists.keys.map(function (k, i) { return [k, i]; })), longSplit: [],
      records: part('r', 'feidiSearchRecords', raw.records.files, []),
      recordSize: raw.records.size,
      columns: part('f', 'feidiSearchColumns', raw.columns.files, ''),
      cols: null, // the facet columns, once every chunk is in
    };
  }

  // ---------------------------------------------------------------- files on demand
  var missing = false; // whether the current step asked for a file still on its way

  /** File `i` of a part, or undefined while it loads (asking for it starts the load). */
  function fetchPart(p, i, then) {
    if (p.data[i] !== undefined) return p.data[i];
    missing = true;
    if (!p.state[i]) {
      p.state[i] = 1;
      loadScript(p.urls[i], function (ok) {
        var g = window[p.global];
        p.data[i] = ok && g && g[i] !== undefined ? g[i] : p.empty;
        if (g) delete g[i];
        then();
      });
    }
    return undefined;
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

  // Scores of one query word in one record: a name beats places and the rest, which beat the
  // body; among places, the enclave's own place or city beats a province or region.
  var NAME = 40, META = 22, WIDE = 21, BODY = 10;

  // The posting encoding (src/assets/search/encode.rs): varints of 64 characters, 5 bits each
  // and a bit saying more follow; runs of ids as (2 × gap) or (2 × gap + 1, length − 2).
  var DIGITS = new Int8Array(128).fill(-1);
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_'.split('').forEach(function (c, i) {
    DIGITS[c.charCodeAt(0)] = i;
  });

  /** Reads a string of varints into an array of numbers. */
  function varints(s) {
    var out = [], n = 0, mul = 1;
    for (var i = 0; i < s.length; i++) {
      var v = DIGITS[s.charCodeAt(i)];
      n += (v & 31) * mul;
      if (v & 32) {
        mul *= 32;
      } else {
        out.push(n);
        n = 0;
        mul = 1;
      }
    }
    return out;
  }

  /** Calls `each(start, end)` for every run of ids [start, end) of a posting list. */
  function runs(s, each) {
    if (!s) return;
    var prev = -1, i = 0, L = s.length;
    while (i < L) {
      var v = 0, mul = 1, c;
      do { c = DIGITS[s.charCodeAt(i++)]; v += (c & 31) * mul; mul *= 32; } while (c & 32);
      var start = prev + Math.floor(v / 2), len = 1;
      if (v % 2) {
        var w = 0;
        mul = 1;
        do { c = DIGITS[s.charCodeAt(i++)]; w += (c & 31) * mul; mul *= 32; } while (c & 32);
        len = w + 2;
      }
      each(start, start + len);
      prev = start + len - 1;
    }
  }

  /** Sets `arr[id] = val` (or raises it to `val`) for every id of a posting list. */
  function mark(s, arr, val) {
    runs(s, function (a, b) {
      for (var x = a; x < b; x++) if (arr[x] < val) arr[x] = val;
    });
  }

  /** Calls `visit(id)` for every id of a posting list. */
  function walk(s, visit) {
    runs(s, function (a, b) {
      for (var x = a; x < b; x++) visit(x);
    });
  }

  /** The shard key of a search key: text::shard_key in Rust. */
  function shardKey(k) {
    var c = k.charAt(0);
    if (c === '~') {
      var sp = k.indexOf(' ');
      return sp < 0 ? k.slice(0, 2) : k.slice(0, sp + 2);
    }
    if (!/^[\x00-\x7f]*$/.test(k)) return k;
    return k.slice(0, 3);
  }

  function shardOf(k) {
    return X.keys.urls.length ? hash(shardKey(k)) % X.keys.urls.length : 0;
  }

  function rerun() {
    schedule(false);
  }

  /** The shard holding key `k`, or undefined while it loads. */
  function shardFor(k) {
    return fetchPart(X.keys, shardOf(k), rerun);
  }

  /** The posting list of key `k` in tier `tier` (0 names, 1 short fields and the places below
   *  provinces, sectors, models and operators, 2 body, 3 provinces and regions; mod.rs), '' for
   *  none, undefined while its shard loads. */
  function postings(k, tier) {
    // A long value lives in a file of its own, which the entry names: no need for the shard.
    var n = X.longKeys.get(k);
    if (n !== undefined) {
      var l = X.longSplit[n];
      if (!l) {
        var raw = fetchPart(X.lists, n, rerun);
        if (raw === undefined) return undefined;
        l = X.longSplit[n] = raw.split('.');
      }
      return l[tier] || '';
    }
    var sh = shardFor(k);
    if (sh === undefined) return undefined;
    var v = sh[k];
    if (!v) return '';
    if (typeof v === 'string') v = sh[k] = v.split('.');
    return v[tier] || '';
  }

  /** Marks in `arr` (with `val`) the records of the keys `ks` in `tier`: a union. */
  function markAny(ks, tier, arr, val) {
    for (var i = 0; i < ks.length; i++) {
      var s = postings(ks[i], tier);
      if (s) mark(s, arr, val);
    }
  }

  /** The records with a Latin word starting with `w` in `tier`, marked in `arr`. */
  function markWord(w, tier, arr, val) {
    if (w.length <= X.prefix) return markAny([w], tier, arr, val);
    var sh = shardFor(w);
    if (sh === undefined) return;
    // Every longer word with the same first letters lives in this shard.
    if (!sh['\u0000long']) {
      sh['\u0000long'] = Object.keys(sh).filter(function (k) {
        return k.length > X.prefix && /^[a-z0-9]+$/.test(k);
      });
    }
    var long = sh['\u0000long'];
    for (var i = 0; i < long.length; i++) if (long[i].startsWith(w)) mark(postings(long[i], tier), arr, val);
  }

  /** Every reading of a name character that starts with `p`. */
  function readingsFrom(p) {
    var out = [];
    for (var i = 0; i < X.readings.length; i++) if (X.readings[i].startsWith(p)) out.push(X.readings[i]);
    return out;
  }

  /**
   * The ways to read a Latin word as pinyin of consecutive characters: each character by a
   * reading or by its initial (`zh`, `ch`, `sh` included), the last one by any start of a
   * reading, so that results come as you type. Each way is a list of units: {f: reading},
   * {i: letter} or, last, {last: start}.
   */
  function segments(s) {
    var out = [];
    function go(p, units) {
      if (out.length >= 64) return;
      var rest = s.slice(p);
      if (X.prefixes.has(rest)) out.push(units.concat([{ last: rest }]));
      for (var l = 1; l <= 6 && p + l < s.length; l++) {
        var r = s.slice(p, p + l);
        if (X.readSet.has(r)) go(p + l, units.concat([{ f: r }]));
      }
      var c = s.charAt(p);
      if (p + 1 < s.length && X.starts.has(c) && !X.readSet.has(c)) go(p + 1, units.concat([{ i: c }]));
      if ((c === 'z' || c === 'c' || c === 's') && s.charAt(p + 1) === 'h' && p + 2 < s.length) {
        go(p + 2, units.concat([{ i: c }]));
      }
    }
    go(0, []);
    return out;
  }

  /** Does `q` spell in pinyin the name of a place, sector or model (the tables of the entry)? */
  function spellsTerm(q) {
    var groups = [X.places, X.sectors, X.models];
    for (var g = 0; g < groups.length; g++) {
      for (var i = 0; i < groups[g].length; i++) if (groups[g][i].p !== '' && pyMatch(groups[g][i].p, q)) return true;
    }
    return false;
  }

  /**
   * Marks the records whose names (or the names of their terms) spell `s` in pinyin (keys `~…`
   * of mod.rs): for each [tier, val] of `tiers`, with val those found in that tier.
   *
   * The keys of an enclave's terms mix the names of many terms, so a reading of three or more
   * characters with initials in it (`q q q z z z`) could find its pairs in different names:
   * outside the names tier such a reading counts only when `termSpelled`, when some place,
   * sector or model is named so (`csj`, 长三角).
   */
  function markPinyin(s, arr, tiers, termSpelled) {
    var segs = segments(s);
    for (var g = 0; g < segs.length; g++) {
      var units = segs[g];
      var loose = units.length > 2 && !termSpelled && units.some(function (u) {
        return u.i !== undefined || (u.last !== undefined && u.last.length === 1);
      });
      if (units.length === 1) {
        var ks = readingsFrom(units[0].last).map(function (r) { return '~' + r; });
        tiers.forEach(function (tv) { markAny(ks, tv[0], arr, tv[1]); });
        continue;
      }
      // Every pair of consecutive units must be there: each pair is any of its keys.
      var pairs = [];
      for (var j = 0; j + 1 < units.length; j++) {
        var a = units[j], b = units[j + 1];
        var left = '~' + (a.f || a.i) + ' ';
        var rights = b.last === undefined ? [b.f || b.i] : b.last.length === 1 ? [b.last] : readingsFrom(b.last);
        pairs.push(rights.map(function (r) { return left + r; }));
      }
      tiers.forEach(function (tv) { if (!(loose && tv[0] !== 0)) markAll(pairs, tv[0], arr, tv[1]); });
    }
  }

  /**
   * Marks with `val` the records found in every one of `groups` in `tier`, each group a list of
   * keys (a record is in a group when it is in the list of any of its keys). A group known to
   * find nothing ends it at once, without waiting for the shards of the others, and the records
   * are counted through the groups one list at a time: the many ways to read a pinyin word cost
   * little where they find nothing.
   */
  function markAll(keyGroups, tier, arr, val) {
    var n = keyGroups.length, groups = [], was = missing, wait = false;
    if (n === 0) return;
    for (var g = 0; g < n; g++) {
      var ls = keyGroups[g].map(function (k) { return postings(k, tier); });
      var pending = ls.some(function (l) { return l === undefined; });
      if (!pending && !ls.some(Boolean)) {
        missing = was; // what this call asked for can arrive later: it changes nothing here
        return;
      }
      wait = wait || pending;
      groups.push(ls);
    }
    if (wait) return;
    if (n === 1) {
      groups[0].forEach(function (s) { mark(s, arr, val); });
      return;
    }
    // seen[x]: how many groups in a row record x is in so far.
    var seen = n < 256 ? new Uint8Array(X.N) : new Uint16Array(X.N);
    var step = function (from) {
      return function (x) { if (seen[x] === from) seen[x] = from + 1; };
    };
    for (var k = 0; k + 1 < n; k++) groups[k].forEach(function (s) { walk(s, step(k)); });
    var last = n - 1;
    groups[last].forEach(function (s) {
      walk(s, function (x) { if (seen[x] === last && arr[x] < val) arr[x] = val; });
    });
  }

  var tokenCache = new Map();

  /**
   * Scores for one query word, by record: NAME, META (short texts; places, sectors, model,
   * operators), WIDE (provinces and regions), BODY, 0 for no match; null while a shard it needs
   * loads. A single Chinese character only matches names, places and sectors (the index has it
   * for those only).
   */
  function tokenTiers(tok) {
    var key = (tok.latin ? 'l:' : 'c:') + tok.s;
    var hit = tokenCache.get(key);
    if (hit) return hit;
    var was = missing;
    missing = false;
    var N = X.N, tiers = new Uint8Array(N);
    tok.word = ' ' + tok.s; // a word prefix starts after a space
    var single = !tok.latin && Array.from(tok.s).length === 1;
    var near = [[0, NAME], [1, META], [3, WIDE]];
    if (tok.latin) {
      near.forEach(function (tv) { markWord(tok.s, tv[0], tiers, tv[1]); });
      markPinyin(tok.s, tiers, near, spellsTerm(tok.s));
      if (tok.s.length >= 2) markWord(tok.s, 2, tiers, BODY);
    } else if (single) {
      near.forEach(function (tv) { markAny([tok.s], tv[0], tiers, tv[1]); });
    } else {
      // Every bigram of the word must be there, in one tier.
      var grams = [];
      keysOf(tok.s, [], grams);
      grams = grams.filter(function (x, i) { return grams.indexOf(x) === i; });
      [[0, NAME], [1, META], [3, WIDE], [2, BODY]].forEach(function (tv) {
        markAll(grams.map(function (g) { return [g]; }), tv[0], tiers, tv[1]);
      });
    }
    var done = !missing;
    missing = missing || was;
    if (!done) return null;
    if (tokenCache.size > 64) tokenCache.clear();
    tokenCache.set(key, tiers);
    return tiers;
  }

  var pyCache = new Map();

  /** Does `q` spell in pinyin the name of any enclave, place, sector or model? Undefined while
   *  shards load. */
  function pyAnywhere(q) {
    if (pyCache.has(q)) return pyCache.get(q);
    var found = spellsTerm(q);
    if (!found) {
      // The keys find names with every pair of syllables, not always in one place: the first
      // few names found are read to be sure.
      var was = missing;
      missing = false;
      var hits = new Uint8Array(X.N);
      markPinyin(q, hits, [[0, 1]]);
      if (missing) return undefined;
      for (var e = hits.indexOf(1), seen = 0; e >= 0 && seen < 16 && !found; e = hits.indexOf(1, e + 1), seen++) {
        var r = recordOf(e);
        if (r === undefined) return undefined;
        found = !!r && pyMatch(prep([r[X.rec.name]]).c, q);
      }
      missing = was;
    }
    if (pyCache.size > 256) pyCache.clear();
    pyCache.set(q, found);
    return found;
  }

  /** Adjacent Latin words that together spell in pinyin a name in the directory are one word
   *  (`wu xi` is `wuxi`); otherwise every word must match (`wuxi shenzhen`, `china merchants`).
   *  Null while a shard it needs loads. */
  function groupTokens(toks) {
    var out = [];
    for (var i = 0; i < toks.length; i++) {
      if (toks[i].latin) {
        var j = i;
        while (j + 1 < toks.length && toks[j + 1].latin) j++;
        if (j > i) {
          var joined = { s: toks.slice(i, j + 1).map(function (x) { return x.s; }).join(''), latin: true };
          var any = pyAnywhere(joined.s);
          if (any === undefined) return null;
          if (any) {
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

  var matchCache = { q: null, m: null };

  /**
   * Runs the words of a query: `score[i]` how well record i matches (0: it misses a word),
   * `empty` for no words; null while shards it needs load (they are on their way).
   */
  function match(q) {
    if (matchCache.q === q) return matchCache.m;
    var toks = groupTokens(tokenize(q));
    if (!toks) return null;
    var N = X.N, score = new Uint16Array(N), ok = new Uint8Array(N).fill(1), wait = false;
    // Every word asks for its shards before any is waited for, so that they load together.
    var tiers = toks.map(function (tok) {
      var x = tokenTiers(tok);
      if (!x) wait = true;
      return x;
    });
    if (wait) return null;
    tiers.forEach(function (ts) {
      for (var i = 0; i < N; i++) {
        if (ts[i]) score[i] += ts[i];
        else ok[i] = 0;
      }
    });
    var m = { score: score, ok: ok, empty: toks.length === 0 };
    matchCache = { q: q, m: m };
    return m;
  }

  /** The matches in order: best score first, then in the list's (slug) order. */
  function rank(m, keep) {
    var byScore = new Map();
    for (var i = 0; i < X.N; i++) {
      if (!m.ok[i] || (keep && !keep[i])) continue;
      var s = m.score[i], b = byScore.get(s);
      if (b) b.push(i);
      else byScore.set(s, [i]);
    }
    var scores = Array.from(byScore.keys()).sort(function (a, b) { return b - a; });
    var out = [];
    scores.forEach(function (s) {
      var b = byScore.get(s);
      for (var j = 0; j < b.length; j++) out.push(b[j]);
    });
    return out;
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
      box.ul = ul;
      box.groups = [];
      f.values.forEach(function (v, pos) {
        v.pos = pos;
        if (!v.depth || !box.groups.length) box.groups.push({ top: v, kids: [] });
        else box.groups[box.groups.length - 1].kids.push(v);
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
      // Values no result has wait behind a button, so that the values that count come first.
      var more = document.createElement('button');
      more.type = 'button';
      more.className = 'facet-more';
      more.hidden = true;
      more.setAttribute('aria-expanded', 'false');
      more.addEventListener('click', function () {
        var open = more.getAttribute('aria-expanded') !== 'true';
        more.setAttribute('aria-expanded', String(open));
        ul.classList.toggle('show-all', open);
        more.textContent = open ? t('facetLess') : t('facetMore', { n: box.hiddenCount });
      });
      box.more = more;
      fs.appendChild(more);
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
  /** The facet columns of every record, once all their chunks are in; null until then (asking
   *  starts the loads). Each facet's values per record as offsets into one array. */
  function columns() {
    if (X.cols) return X.cols;
    X.colsWanted = true;
    var parts = [], wait = false;
    for (var c = 0; c < X.columns.urls.length; c++) {
      parts.push(fetchPart(X.columns, c, columnsIn));
      if (parts[c] === undefined) wait = true;
    }
    // Sorting by operator needs their names.
    if (wait || !operatorTable()) return null;
    var N = X.N, F = X.facets.length;
    var offs = [], vals = [];
    // What the results sort by, per record (-1: not reported).
    var by = {
      name: new Int32Array(N), home: new Int32Array(N), host: new Int32Array(N), sector: new Int32Array(N),
      model: new Int32Array(N), operator: new Int32Array(N), area: new Float64Array(N), opened: new Int32Array(N),
    };
    for (var f = 0; f < F; f++) {
      offs.push(new Int32Array(N + 1));
      vals.push([]);
    }
    var r = 0;
    var push = function (f, v) { vals[f].push(v); };
    parts.forEach(function (s) {
      var n = varints(s), k = 0;
      while (k < n.length && r < N) {
        var home = X.places[n[k++]], host = X.places[n[k++]];
        var ns = n[k++], sectors = n.slice(k, k + ns);
        k += ns;
        var model = n[k++];
        var nk = n[k++], kinds = n.slice(k, k + nk);
        k += nk;
        var status = n[k++];
        by.name[r] = n[k++];
        var no = n[k++], ops = n.slice(k, k + no);
        k += no;
        by.area[r] = n[k++] - 1;
        by.opened[r] = n[k++] - 1;
        by.home[r] = X.rankOf.place[home.i];
        by.host[r] = X.rankOf.place[host.i];
        by.sector[r] = firstRank(sectors, X.rankOf.sector);
        by.model[r] = model > 0 ? X.rankOf.model[model - 1] : -1;
        by.operator[r] = firstRank(ops, X.rankOf.operator);
        host.cityProv.forEach(function (p) { push(0, p); });
        home.cityProv.forEach(function (p) { push(1, p); });
        var regions = home.regions.slice();
        host.regions.forEach(function (p) { if (regions.indexOf(p) < 0) regions.push(p); });
        regions.forEach(function (p) { push(2, p); });
        sectors.forEach(function (s2) { push(3, s2); });
        if (model > 0) push(4, model - 1);
        kinds.forEach(function (x) { push(5, x); });
        push(6, status);
        r++;
        for (var g = 0; g < F; g++) offs[g][r] = vals[g].length;
      }
    });
    X.cols = { offs: offs, vals: vals.map(function (v) { return Int32Array.from(v); }), by: by };
    return X.cols;
  }

  /** The operators, prepared (their file asked for when missing); undefined while it loads. */
  function operatorTable() {
    if (X.operators) return X.operators;
    var was = missing;
    var raw = fetchPart(X.operatorFile, 0, operatorsIn);
    missing = was; // the words of the query never wait for it
    if (raw === undefined) return undefined;
    X.operators = raw.map(X.operatorRecord);
    X.rankOf.operator = ranks(X.operators);
    return X.operators;
  }

  /** The operators came in: the offers above the results, and the sort, can use them. */
  function operatorsIn() {
    jumpFor = null;
    schedule(true);
  }

  /** The smallest rank among `ids` in `ranks` (the first in the column's order), -1 for none. */
  function firstRank(ids, ranks) {
    var best = -1;
    for (var i = 0; i < ids.length; i++) if (best < 0 || ranks[ids[i]] < best) best = ranks[ids[i]];
    return best;
  }

  /** Ranks of a table's entries by their shown names, in the interface language's order
   *  (pinyin for Chinese). */
  function ranks(table) {
    var coll = new Intl.Collator(lang === 'en' ? 'en' : 'zh-Hans-CN-u-co-pinyin');
    var ids = table.map(function (x, i) { return i; });
    ids.sort(function (a, b) { return coll.compare(label(table[a]), label(table[b])) || a - b; });
    var out = new Int32Array(table.length);
    ids.forEach(function (id, r) { out[id] = r; });
    return out;
  }

  function label(x) {
    return lang === 'en' && x.en ? x.en : x.name;
  }

  function columnsIn() {
    schedule(true);
  }

  /** Applies the facets to the text matches: which records pass, and for each facet value how
   *  many results it would give (OR within a facet, AND across facets). */
  function filter(m, cols) {
    var F = X.facets, nf = F.length, counts = F.map(function () { return new Map(); });
    var pass = new Uint8Array(X.N);
    var offs = cols.offs, vals = cols.vals;
    for (var i = 0; i < X.N; i++) {
      if (!m.ok[i]) continue;
      var fails = 0, failed = -1;
      for (var f = 0; f < nf; f++) {
        var sel = F[f].sel;
        if (!sel.size) continue;
        var any = false;
        for (var k = offs[f][i]; k < offs[f][i + 1]; k++) if (sel.has(vals[f][k])) { any = true; break; }
        if (!any) {
          fails++;
          failed = f;
          if (fails > 1) break;
        }
      }
      if (fails > 1) continue;
      for (var g = 0; g < nf; g++) {
        if (fails === 1 && g !== failed) continue;
        var c = counts[g], vg = vals[g];
        for (var j = offs[g][i]; j < offs[g][i + 1]; j++) c.set(vg[j], (c.get(vg[j]) || 0) + 1);
      }
      if (fails === 0) pass[i] = 1;
    }
    return { pass: pass, counts: counts };
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
      orderFacet(fi, counts[fi]);
    });
  }

  /** Puts a facet's values in order of their counts now: the top values (provinces) by count,
   *  each followed by its own values (cities) by count; values without a result (and not
   *  ticked) last, behind the "more" button. */
  function orderFacet(fi, counts) {
    var box = facetBoxes[fi], f = X.facets[fi];
    if (!box.ul) return;
    var n = function (v) { return counts.get(v.idx) || 0; };
    var on = function (v) { return n(v) > 0 || f.sel.has(v.idx); };
    var byCount = function (a, b) { return n(b) - n(a) || a.pos - b.pos; };
    var order = [], placed = new Set();
    box.groups.filter(function (g) { return on(g.top); }).sort(function (a, b) { return byCount(a.top, b.top); })
      .forEach(function (g) {
        order.push(g.top);
        g.kids.filter(on).sort(byCount).forEach(function (k) { order.push(k); });
      });
    order.forEach(function (v) { placed.add(v.idx); });
    var rest = f.values.filter(function (v) { return !placed.has(v.idx); });
    var key = order.concat(rest).map(function (v) { return v.idx; }).join();
    if (box.order !== key) {
      box.order = key;
      order.concat(rest).forEach(function (v) { box.ul.appendChild(box.inputs.get(v.idx).li); });
    }
    box.hiddenCount = rest.length;
    box.more.hidden = rest.length === 0;
    if (box.more.getAttribute('aria-expanded') !== 'true') box.more.textContent = t('facetMore', { n: rest.length });
  }

  // ---------------------------------------------------------------- results
  var shown = []; // record ids in display order
  var rendered = 0; // how many of them are on the page
  var target = 0; // how many should be
  var cur = null; // what the page shows: {q, counting: facet counts still to come}
  var lastSince; // the input event the shown query came from

  function placeName(i) {
    var p = X.places[i];
    return lang === 'en' && p.en ? p.en : p.name;
  }

  /** The record of id `i`, or undefined while its chunk loads. */
  function recordOf(i) {
    var c = Math.floor(i / X.recordSize);
    var chunk = fetchPart(X.records, c, recordsIn);
    return chunk === undefined ? undefined : chunk[i - c * X.recordSize] || null;
  }

  /** A record chunk came in: for the rows on the way, or for a query that reads names. */
  function recordsIn() {
    if (cur && cur.q === input.value && matchCache.q === input.value) paint();
    else schedule(false);
  }

  /** A link to a page of the site (a folder; its index.html when opened from disk). */
  function siteLink(path, text) {
    var a = document.createElement('a');
    a.href = siteRoot + path + (location.protocol === 'file:' ? 'index.html' : '');
    a.textContent = text;
    return a;
  }

  function notReported() {
    var s = document.createElement('span');
    s.className = 'nr';
    s.textContent = t('nr');
    return s;
  }

  function sub(node) {
    var s = document.createElement('span');
    s.className = 'sub';
    s.appendChild(node);
    return s;
  }

  /** A place as the table shows it: a link when it has a page. */
  function placeNode(i) {
    var p = X.places[i];
    return p.page ? siteLink('places/' + p.id + '/', placeName(i)) : document.createTextNode(placeName(i));
  }

  /** Links to terms' pages, separated as the tables separate them; "not reported" for none. */
  function termLinks(cell, ids, table, folder) {
    if (!ids.length) {
      cell.appendChild(notReported());
      return;
    }
    ids.forEach(function (id, k) {
      if (k) {
        var sep = document.createElement('span');
        sep.className = 'sep';
        sep.textContent = t('listSep');
        cell.appendChild(sep);
      }
      cell.appendChild(siteLink(folder + table[id].id + '/', label(table[id])));
    });
  }

  function fields(r) {
    var R = X.rec;
    return {
      slug: r[R.slug], name: r[R.name], en: r[R.en], home: r[R.home], host: r[R.host], sectors: r[R.sectors],
      status: r[R.status], kind: r[R.kind], model: r[R.model], operators: r[R.operators], area: r[R.area],
      opened: r[R.opened],
    };
  }

  function statusTag(e) {
    var status = X.statuses[e.status];
    if (status === 'active') return null;
    var tag = document.createElement('span');
    tag.className = 'tag tag-' + status;
    tag.textContent = t('status' + status.charAt(0).toUpperCase() + status.slice(1));
    return tag;
  }

  /** A result as a row of the enclave table: the same columns as the page's own table
   *  (enclave_row.html), so that results keep what the list shows; compare.js gives it its
   *  add-to-comparison button. */
  function row(r) {
    var e = fields(r);
    var tr = document.createElement('tr');
    tr.dataset.slug = e.slug;
    var th = document.createElement('th');
    th.scope = 'row';
    th.className = 'col-name';
    var a = siteLink('enclaves/' + e.slug + '/', lang === 'en' && e.en ? e.en : e.name);
    a.className = 'result-name';
    th.appendChild(a);
    var tag = statusTag(e);
    if (tag) {
      th.appendChild(document.createTextNode(' '));
      th.appendChild(tag);
    }
    if (e.kind) th.appendChild(sub(document.createTextNode(e.kind)));
    tr.appendChild(th);
    [e.home, e.host].forEach(function (pi) {
      var td = document.createElement('td');
      td.appendChild(placeNode(pi));
      var city = X.places[pi].city;
      if (city !== pi) td.appendChild(sub(placeNode(city)));
      tr.appendChild(td);
    });
    // A record names its operators itself (slug, name), as a little table of its own.
    var ops = e.operators.map(function (o) { return { id: o[0], name: o[1] }; });
    var cells = [
      [e.sectors, X.sectors, 'sectors/', 'col-sectors'],
      [e.model >= 0 ? [e.model] : [], X.models, 'models/', ''],
      [ops.map(function (o, k) { return k; }), ops, 'operators/', ''],
    ];
    cells.forEach(function (c) {
      var td = document.createElement('td');
      if (c[3]) td.className = c[3];
      termLinks(td, c[0], c[1], c[2]);
      tr.appendChild(td);
    });
    [e.area, e.opened].forEach(function (v) {
      var td = document.createElement('td');
      td.className = 'n';
      if (v) td.textContent = v;
      else td.appendChild(notReported());
      tr.appendChild(td);
    });
    return tr;
  }

  /** A result of the short lists (home page, comparison picker): name, home → host, sectors;
   *  in the picker, its add-to-comparison button. */
  function item(r) {
    var e = fields(r);
    var li = document.createElement('li');
    li.className = 'result';
    li.dataset.slug = e.slug;
    var a = siteLink('enclaves/' + e.slug + '/', lang === 'en' && e.en ? e.en : e.name);
    a.className = 'result-name';
    li.appendChild(a);
    var tag = statusTag(e);
    if (tag) {
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
      bits.push(e.sectors.map(function (s) { return label(X.sectors[s]); }).join(t('listSep')));
    }
    meta.textContent = bits.join(' · ');
    li.appendChild(meta);
    if (pick) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'compare-toggle';
      b.dataset.compare = e.slug;
      li.appendChild(b);
    }
    return li;
  }

  /** Puts on the page the rows up to `target` whose records are in, in order, asking for the
   *  chunks of the others; then says whether the page is complete. */
  function paint() {
    if (!cur) return;
    var end = Math.min(shown.length, target);
    for (var k = rendered; k < end; k++) recordOf(shown[k]);
    var frag = document.createDocumentFragment();
    while (rendered < end) {
      var r = recordOf(shown[rendered]);
      if (!r) break;
      frag.appendChild(resultTable ? row(r) : item(r));
      rendered++;
    }
    list.appendChild(frag);
    if (moreBtn) {
      var left = shown.length - rendered;
      moreBtn.hidden = compact || !cur.active || left <= 0 || rendered < end;
      moreBtn.textContent = t('more', { n: Math.min(left, PAGE) });
    }
    var rowsDone = rendered >= end;
    // Facet counts over every hit need the columns: asked for once the first rows are in.
    if (cur.counting && (rendered > 0 || rowsDone)) columns();
    var done = rowsDone && !cur.counting;
    setState(done ? 'done' : 'pending');
    // For benchmarks and tools: when results are on the page, and since which input event.
    root.dispatchEvent(new CustomEvent('feidi:search', {
      detail: { since: lastSince, count: shown.length, rows: rendered, pending: !done },
    }));
  }

  function renderMore() {
    target = rendered + PAGE;
    paint();
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

  // ---------------------------------------------------------------- sorting
  // The columns a list sorts by (the data-sort of the table headers); `sort.key` '' is the
  // default order: by relevance for a query, else by name (the page's own table).
  var SORTS = ['name', 'home', 'host', 'sector', 'model', 'operator', 'area', 'opened'];
  var sort = { key: '', dir: 1 };
  var focusSort = ''; // the header whose button should have the focus once the table is drawn

  /** Whether the order asked for is not the page's own (by name, ascending). */
  function sortedAway() {
    return sort.key !== '' && !(sort.key === 'name' && sort.dir === 1);
  }

  /** Sorts record ids by the sort column; what a record does not report goes last either way,
   *  ties go by name. */
  function sortBy(ids, cols) {
    var col = cols.by[sort.key], names = cols.by.name, d = sort.dir;
    ids.sort(function (a, b) {
      var x = col[a], y = col[b];
      if (x !== y) {
        if (x < 0) return 1;
        if (y < 0) return -1;
        return x < y ? -d : d;
      }
      return names[a] - names[b];
    });
  }

  /** Turns a table's sortable headers into buttons (the WAI-ARIA sortable table: the header
   *  holds a button, its aria-sort says the order). */
  function sortHeaders(table) {
    if (!table) return;
    Array.prototype.forEach.call(table.querySelectorAll('thead th[data-sort]'), function (th) {
      if (th.querySelector('button')) return;
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort-button';
      while (th.firstChild) b.appendChild(th.firstChild);
      var icon = document.createElement('span');
      icon.className = 'sort-icon';
      icon.setAttribute('aria-hidden', 'true');
      b.appendChild(icon);
      th.appendChild(b);
      b.addEventListener('click', function () {
        var key = th.dataset.sort;
        // Without a query the list is in name order, even when no order was asked for.
        var now = sort.key ? sort : { key: input.value.trim() || anyFacet() ? '' : 'name', dir: 1 };
        sort = { key: key, dir: now.key === key ? -now.dir : 1 };
        focusSort = key;
        update({ url: 'push' });
      });
    });
  }

  /** Marks on each table the column it is sorted by (none for relevance). */
  function paintSort() {
    var showing = resultBox && !resultBox.hidden ? resultTable : pageTable;
    [pageTable, resultTable].forEach(function (table) {
      if (!table) return;
      var eff = table === pageTable ? { key: 'name', dir: 1 } : sort;
      Array.prototype.forEach.call(table.querySelectorAll('thead th[data-sort]'), function (th) {
        if (eff.key === th.dataset.sort) th.setAttribute('aria-sort', eff.dir < 0 ? 'descending' : 'ascending');
        else th.removeAttribute('aria-sort');
      });
    });
    if (focusSort && showing && !(tableSection && tableSection.hidden && showing === pageTable)) {
      var b = showing.querySelector('thead th[data-sort="' + focusSort + '"] button');
      if (b && root.dataset.state !== 'pending') {
        b.focus();
        focusSort = '';
      }
    }
  }

  // ---------------------------------------------------------------- places and operators
  var LEVELS = ['city', 'province', 'county', 'district', 'zone', 'region'];
  var jumpFor = null;

  /** Above the enclaves, the places (with a page) and operators whose names match every word
   *  of the query: a query for a city or an operator leads to its page too. */
  function renderJump(q) {
    if (jumpFor === q) return;
    jumpFor = q;
    jumpEl.textContent = '';
    var toks = tokenize(q);
    var hitAll = function (x) {
      return toks.every(function (tok) {
        tok.word = ' ' + tok.s;
        return textHit(x, tok);
      });
    };
    var found = [];
    if (toks.length) {
      // Places named so come before those that only an alias of theirs matches (上海 finds
      // 上海市 first, then districts known as 上海闵行).
      var named = function (p) {
        return toks.every(function (tok) { return tok.latin || p.p.indexOf(tok.s) >= 0; }) ? 0 : 1;
      };
      var level = function (p) { var k = LEVELS.indexOf(p.level); return k < 0 ? LEVELS.length : k; };
      X.places.filter(function (p) { return p.page && hitAll(p); })
        .sort(function (a, b) { return named(a) - named(b) || level(a) - level(b) || a.i - b.i; })
        .slice(0, 3)
        .forEach(function (p) { found.push([t('jumpPlace'), label(p), 'places/' + p.id + '/']); });
      // The operators follow when their file is in (operatorsIn draws this again).
      (operatorTable() || []).filter(hitAll).slice(0, 3)
        .forEach(function (o) { found.push([t('jumpOperator'), label(o), 'operators/' + o.id + '/']); });
    }
    found.forEach(function (f) {
      var li = document.createElement('li');
      var a = siteLink(f[2], '');
      var kind = document.createElement('span');
      kind.className = 'jump-kind';
      kind.textContent = f[0];
      a.appendChild(kind);
      a.appendChild(document.createTextNode(' · ' + f[1] + ' →'));
      li.appendChild(a);
      jumpEl.appendChild(li);
    });
    jumpEl.hidden = found.length === 0;
  }

  // ---------------------------------------------------------------- URL state
  function stateUrl() {
    var parts = [];
    var q = input.value.trim();
    if (q) parts.push('q=' + encodeURIComponent(q));
    if (sort.key) parts.push('sort=' + (sort.dir < 0 ? '-' : '') + sort.key);
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
    var sv = params.get('sort') || '';
    var desc = sv.charAt(0) === '-';
    sort = { key: SORTS.indexOf(desc ? sv.slice(1) : sv) >= 0 ? (desc ? sv.slice(1) : sv) : '', dir: desc ? -1 : 1 };
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

  var queued = 0, queuedKeep = true;

  /** Runs the query again soon (a file it waited for came in); `keep` when only the facet
   *  counts can change. */
  function schedule(keep) {
    queuedKeep = queuedKeep && keep;
    if (queued) return;
    queued = setTimeout(function () {
      queued = 0;
      var k = queuedKeep;
      queuedKeep = true;
      update({ url: false, keep: k });
    }, 0);
  }

  function sameIds(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function update(opts) {
    if (!X) {
      setState('loading');
      return;
    }
    opts = opts || {};
    if (opts.since !== undefined) lastSince = opts.since;
    var q = input.value;
    if (!compact && opts.url === 'push') {
      flushUrl();
      writeUrl('push');
    } else if (!compact && opts.url === 'type') {
      clearTimeout(urlTimer);
      urlTimer = setTimeout(writeTyping, 300);
    }
    var m = match(q);
    var facetsOn = !compact && anyFacet();
    var needCols = facetsOn || (!compact && sort.key !== '');
    var cols = m && !compact && (needCols || X.colsWanted) ? columns() : null;
    if (!m || (needCols && !cols)) {
      // The files it needs are on their way; what the page shows stays until they are in.
      setState('pending');
      root.dispatchEvent(new CustomEvent('feidi:search', {
        detail: { since: lastSince, count: 0, rows: 0, pending: true },
      }));
      return;
    }
    var active = compact ? !m.empty : !m.empty || facetsOn || sortedAway();
    var f = active && cols ? filter(m, cols) : null;
    var results = active ? rank(m, f && f.pass) : [];
    if (active && cols && sort.key) sortBy(results, cols);
    if (!compact) {
      if (!active) renderFacetCounts(X.facets.map(function (x) { return x.total; }));
      else if (f) renderFacetCounts(f.counts);
    }
    var keep = opts.keep && cur && cur.q === q && cur.active === active && sameIds(results, shown);
    cur = { q: q, active: active, counting: !compact && active && !f };
    if (!keep) {
      shown = results;
      list.textContent = '';
      rendered = 0;
      target = PAGE;
    }
    resultBox.hidden = !active || results.length === 0;
    if (tableSection) tableSection.hidden = active;
    if (!compact) paintSort();
    if (jumpEl) renderJump(q);
    var n = results.length;
    var msg;
    if (!active) msg = compact ? '' : t('total', { n: X.N });
    else if (n === 0) msg = t('none');
    else msg = n === 1 ? t('countOne', { n: n }) : t('count', { n: n });
    if (compact && active && n > PAGE && seeAll) {
      seeAll.hidden = false;
      seeAll.href = root.dataset.list + '?q=' + encodeURIComponent(q.trim());
      seeAll.textContent = t('seeAll', { n: n });
    } else if (seeAll) {
      seeAll.hidden = true;
    }
    if (statusEl && statusEl.textContent !== msg) statusEl.textContent = msg;
    if (!compact) renderActive(q, n);
    paint();
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
          X.rankOf = { place: ranks(X.places), sector: ranks(X.sectors), model: ranks(X.models), operator: null };
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
      if (!compact) {
        buildFacets();
        if (resultTable && pageTable && !resultTable.tHead.rows.length) {
          resultTable.tHead.appendChild(pageTable.tHead.rows[0].cloneNode(true));
        }
        sortHeaders(pageTable);
        sortHeaders(resultTable);
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
    return Array.prototype.slice.call(list.querySelectorAll('a.result-name'));
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
      if (first && !resultBox.hidden) {
        ev.preventDefault();
        first.focus();
      }
    } else if (ev.key === 'Enter') {
      var top = !resultBox.hidden && links()[0];
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
        var next = links()[i + 1];
        if (next) next.focus();
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
    if (compact && !pick) return; // the home page's form goes to the full list
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

