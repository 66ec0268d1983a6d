/* Epistola static search: works from file:// and offline, and answers like `epistola search`.
 *
 * The index is a set of classic <script> data files (search/meta.js, search/s-*.js,
 * search/t/*.js) because browsers refuse fetch() and import() on file:// pages; shards are
 * loaded on demand by adding <script> tags. The words were analysed at build time by the
 * server's own code (render/search_data.py), so this file only has to:
 *   - fold and split the query like search/fold.py (the folding table comes from meta.js),
 *   - parse the query language like search/parse.py (AND OR NOT - ( ) "phrases" prefix* =exact),
 *   - compile it like search/query.py (a word: its keys in text, notes and title, or the
 *     register entries it names; runs of words that name an entry),
 *   - match with positions (phrases) and rank with FTS5's bm25 and the same column weights.
 * State lives in the URL (?q=...&year=...&sender=...), so results can be linked and bookmarked.
 */
(function () {
  "use strict";
  var ES = (window.EpistolaSearch = window.EpistolaSearch || {});
  var M = ES.meta;
  var shards = {};
  var waiting = {};
  var texts = {};
  var textWaiting = {};
  var ROWS = null;       // search/letters.js: per letter [id, label, date, sender, addressee, kind, slug]
  var entLetters = {};   // register entry -> its letters (each shard brings those it names)
  var FD = null;         // search/facets.js: {rows: [[year, kind, values]], names}
  var OTHER = null;      // search/other.js: front matter and register entries {docs, lengths, ent}
  var otherTexts = {};   // search/o-N.js: their texts, for snippets, 64 documents a file
  var OTHER_LIMIT = 10;  // as the server's "other" (search/query.py: _other)
  var fileWaiting = {};
  var PAGE = 50, WINDOW = 8, MAX_SNIPPETS_LETTER = 3, FACET_LIMIT = 30;
  var F = {};
  M.fields.forEach(function (f, i) { F[f] = i; });
  var MESSAGES = window.EpistolaMessages || {};
  function L(s) { return MESSAGES[s] || s; }  // a label in the interface's language (search.html)

  ES.shard = function (key, data) {
    shards[key] = data;
    if (data && data.ents) Object.keys(data.ents).forEach(function (e) { entLetters[e] = data.ents[e]; });
    (waiting[key] || []).forEach(function (f) { f(); });
    delete waiting[key];
  };
  ES.text = function (i, data) {
    texts[i] = data;
    (textWaiting[i] || []).forEach(function (f) { f(); });
    delete textWaiting[i];
  };
  function arrived(name) {
    (fileWaiting[name] || []).forEach(function (f) { f(); });
    delete fileWaiting[name];
  }
  ES.letters = function (data) {
    var strs = (data && data.strings) || [], idx = M.strings.map(function (f) { return F[f]; });
    ROWS = ((data && data.rows) || []).map(function (r) {
      idx.forEach(function (k) { r[k] = strs[r[k]]; });
      if (r.length <= F.slug) r[F.slug] = r[F.id];
      return r;
    });
    arrived("letters");
  };
  ES.other = function (data) { OTHER = data || { docs: [], lengths: [], ent: {} }; arrived("other"); };
  ES.otherText = function (b, data) {
    otherTexts[b] = data || {};
    arrived("o" + b);
  };
  ES.facetData = function (data) { FD = data || { rows: [], names: {} }; arrived("facets"); };

  /* ---- analysis: the twin of search/fold.py (fold, tokens) ---- */
  var SPECIAL = M.fold.special;
  var SPECIAL_RE = new RegExp("[" + Object.keys(SPECIAL).join("") + "]", "g");
  var MARKS_RE = new RegExp("[" + M.fold.marks + "]", "g");
  var BREVE_RE = /(?<![иИ])\u0306/g;
  var WORD_RE = /[\p{L}\p{N}]+/gu;

  function fold(s) {
    s = s.toLowerCase();
    if (/^[\x00-\x7f]*$/.test(s)) return s;
    s = s.normalize("NFKD").replace(MARKS_RE, "");
    if (s.indexOf("\u0306") >= 0) s = s.replace(BREVE_RE, "");
    return s.normalize("NFC").replace(SPECIAL_RE, function (c) { return SPECIAL[c]; });
  }
  function tokens(s) {
    var t = fold(s), out = t.match(WORD_RE) || [];
    if (t.indexOf("ъ") < 0) return out;
    return out.map(function (w) { return w.length > 1 && w[w.length - 1] === "ъ" ? w.slice(0, -1) : w; });
  }
  var SURNAME_RE = new RegExp(M.surname || "(?!)");
  function surnameBase(w) {  /* search/fold.py: surname_base (the pattern comes from meta.js) */
    if (!/^[\u0400-\u052f]/.test(w)) return null;
    var m = SURNAME_RE.exec(w);
    return m ? m[1] : null;
  }
  ES.fold = fold;
  ES.tokens = tokens;
  ES.surnameBase = surnameBase;

  /* ---- the query language: the twin of search/parse.py ---- */
  function QueryError(message) { this.message = message; }
  var OPS = { "AND": "AND", "OR": "OR", "NOT": "NOT", "&&": "AND", "||": "OR" };
  var LEX = /\s+|(\()|(\))|((-)?(=)?"([^"]*)")|(")|([^\s()"]+)/g;

  function lex(q) {
    var out = [], m;
    LEX.lastIndex = 0;
    while ((m = LEX.exec(q))) {
      if (m[1]) out.push(["("]);
      else if (m[2]) out.push([")"]);
      else if (m[3] !== undefined) {
        if (m[4]) out.push(["NOT"]);
        out.push(["phrase", [tokens(m[6]), !!m[5]]]);
      } else if (m[7]) throw new QueryError("unbalanced quote");
      else if (m[8]) word(m[8], out);
    }
    return out;
  }
  function word(w, out) {
    if (OPS[w]) { out.push([OPS[w]]); return; }
    if (w[0] === "-" && w.length > 1) { out.push(["NOT"]); w = w.slice(1); }
    var exact = w[0] === "=", prefix = w[w.length - 1] === "*", toks = tokens(w);
    if (!toks.length) {
      if (w.indexOf("*") >= 0) throw new QueryError("'" + w + "' has no word before the '*'");
      return;
    }
    if (prefix) {
      if (toks.length > 1 || toks[0].length < 2) throw new QueryError("a prefix search needs one word of at least 2 letters before '*'");
      out.push(["term", [toks[0], "prefix"]]);
    } else if (toks.length > 1) out.push(["phrase", [toks, exact]]);
    else out.push(["term", [toks[0], exact ? "exact" : "stem"]]);
  }
  function parse(q) {
    var items = lex(q), i = 0;
    if (!items.length) return null;
    function peek() { return i < items.length ? items[i][0] : null; }
    function parseOr() {
      var left = [parseAnd()];
      while (peek() === "OR") {
        i++;
        if ([null, ")", "OR", "AND"].indexOf(peek()) >= 0) throw new QueryError("OR needs a word after it");
        left.push(parseAnd());
      }
      return left.length === 1 ? left[0] : ["or", left];
    }
    function parseAnd() {
      var parts = [parseUnary()];
      while ([null, ")", "OR"].indexOf(peek()) < 0) {
        if (peek() === "AND") {
          i++;
          if ([null, ")", "OR", "AND"].indexOf(peek()) >= 0) throw new QueryError("AND needs a word after it");
        }
        parts.push(parseUnary());
      }
      return parts.length === 1 ? parts[0] : ["and", parts];
    }
    function parseUnary() {
      var k = peek();
      if (k === "NOT") {
        i++;
        if ([null, ")", "OR", "AND", "NOT"].indexOf(peek()) >= 0) throw new QueryError("NOT needs a word after it");
        return ["not", parseUnary()];
      }
      if (k === "(") {
        i++;
        if (peek() === ")") throw new QueryError("empty parentheses");
        var node = parseOr();
        if (peek() !== ")") throw new QueryError("unbalanced parenthesis: '(' is never closed");
        i++;
        return node;
      }
      if (k === "term") { var v = items[i++][1]; return ["term", v[0], v[1]]; }
      if (k === "phrase") {
        var p = items[i++][1];
        if (!p[0].length) throw new QueryError('empty phrase ""');
        return ["phrase", p[0], p[1]];
      }
      if (k === ")") throw new QueryError("unbalanced parenthesis: ')' without '('");
      throw new QueryError(k + " needs a word before it");
    }
    var node = parseOr();
    if (i < items.length) throw new QueryError("unbalanced parenthesis: ')' without '('");
    return node;
  }
  ES.parse = parse;

  /* ---- shards ---- */
  var base = (function () {
    var s = document.querySelector('script[src$="static/search.js"]');
    return s ? s.getAttribute("src").replace(/static\/search\.js$/, "") : "";
  })();
  function shardFile(key) {
    return "s-" + Array.from(key).map(function (c) {
      return ("0000" + c.codePointAt(0).toString(16)).slice(-4);
    }).join("-") + ".js";
  }
  function script(src, onerror) {
    var tag = document.createElement("script");
    tag.src = src;
    tag.onerror = onerror;
    document.head.appendChild(tag);
  }
  function loadShard(key) {
    return new Promise(function (resolve) {
      if (key in shards || M.shards.indexOf(key) < 0) { resolve(); return; }
      (waiting[key] = waiting[key] || []).push(resolve);
      if (waiting[key].length > 1) return;
      script(base + "search/" + shardFile(key), function () { ES.shard(key, null); });
    });
  }
  function loadFile(name, file, have, failed) {
    /* load search/<file> once; resolves when it has handed over its data (or failed) */
    return new Promise(function (resolve) {
      if (have()) { resolve(); return; }
      (fileWaiting[name] = fileWaiting[name] || []).push(resolve);
      if (fileWaiting[name].length > 1) return;
      script(base + "search/" + file, function () { failed(); });
    });
  }
  function loadRows() {
    /* the letters' rows (label, date, parties), for showing results */
    return loadFile("letters", "letters.js", function () { return ROWS !== null; },
                    function () { ES.letters(null); });
  }
  function row(i) { return (ROWS && ROWS[i]) || []; }
  function loadFacets() {
    return loadFile("facets", "facets.js", function () { return FD !== null; },
                    function () { ES.facetData(null); });
  }
  function loadOther() {
    return loadFile("other", "other.js", function () { return OTHER !== null; },
                    function () { ES.other(null); });
  }
  function loadOtherText(j) {
    var b = Math.floor(j / M.textBucket);
    return loadFile("o" + b, "o-" + b + ".js", function () { return b in otherTexts; },
                    function () { ES.otherText(b, null); });
  }
  function otherText(j) {
    var b = otherTexts[Math.floor(j / M.textBucket)];
    return (b && b[j]) || null;
  }
  function shardOf(s) { return shards[Array.from(s).slice(0, 2).join("")] || null; }
  function loadText(i) {
    return new Promise(function (resolve) {
      if (i in texts) { resolve(texts[i]); return; }
      (textWaiting[i] = textWaiting[i] || []).push(function () { resolve(texts[i]); });
      if (textWaiting[i].length > 1) return;
      script(base + "search/t/" + row(i)[F.slug] + ".js", function () { ES.text(i, []); });
    });
  }

  /* ---- compiling: the twin of search/query.py's _Compiler ---- */
  function Compiler() {
    this.missing = {};

    this.phrases = [];
    this.entities = {};
    this.keys = {};      // keys to highlight
    this.forms = {};     // exact forms to highlight
    this.prefixes = [];
  }
  Compiler.prototype.need = function (s) {
    var k = Array.from(s).slice(0, 2).join("");
    if (!(k in shards) && M.shards.indexOf(k) >= 0) this.missing[k] = 1;
    return shards[k] || null;
  };
  Compiler.prototype.form = function (w) {
    var sh = this.need(w);
    return sh && sh.forms[w] ? sh.forms[w] : null;
  };
  Compiler.prototype.stems = function (w) {
    /* the key of w under each Latin-script language of the edition (one when they agree) */
    var self = this, f = this.form(w);
    if (f) {
      var keys = typeof f[0] === "string" ? [f[0]] : f[0];
      keys.forEach(function (k) { self.need(k); });
      return keys;
    }
    var sh = this.need(w);
    if (!sh) return [w];
    for (var n = w.length - 1; n >= Math.max(3, w.length - 4); n--) {
      if (sh.post[w.slice(0, n)]) return [w.slice(0, n)];  // a form no letter has: its stem
    }
    this.need(w);
    return [w];
  };
  Compiler.prototype.surname = function (w) {
    /* the keys of every case form of the register surname w is a form of (query.py: surname) */
    var b = surnameBase(w);
    if (!b) return null;
    var sh = this.need(b);
    return (sh && sh.surn && sh.surn[b]) || null;
  };
  Compiler.prototype.lookupNames = function (key) {
    var sh = this.need(key);
    return (sh && sh.names && sh.names[key]) || [];
  };
  Compiler.prototype.namesFor = function (words) {
    var found = {}, self = this;
    if (words.length === 1) {
      var f = this.form(words[0]);
      if (f) (f[1] || []).forEach(function (e) { found[e] = 1; });
      else {
        this.lookupNames(words[0]).forEach(function (e) { found[e] = 1; });
        var b = surnameBase(words[0]);  // names.py: query_keys
        if (b) this.lookupNames(b).forEach(function (e) { found[e] = 1; });
      }
    } else {
      var lem = words.map(function (w) { var f = self.form(w); return (f && f[2]) || w; });
      [words.join(" "), lem.join(" ")].forEach(function (k) {
        self.lookupNames(k).forEach(function (e) { found[e] = 1; });
      });
    }
    var ents = Object.keys(found).map(Number).sort(function (a, b) { return a - b; });
    if (ents.length > M.maxNames) return [];
    ents.forEach(function (e) { if (!(e in self.entities)) self.entities[e] = words.join(" "); });
    return ents;
  };
  Compiler.prototype.phrase = function (col, toks, prefix) {
    var p = { col: col, toks: toks, prefix: !!prefix };
    this.phrases.push(p);
    return ["ph", p];
  };
  Compiler.prototype.textTerm = function (w) {
    var self = this, surn = this.surname(w), alts;
    if (surn) {  // a form no letter has is among its surname's forms: no guessing of its stem
      alts = (this.form(w) ? this.stems(w) : []).concat(surn);
      surn.forEach(function (k) { self.need(k); });
      alts = Array.from(new Set(alts));
    } else alts = Array.from(new Set(this.stems(w)));
    alts.forEach(function (a) { self.keys[a] = 1; });
    return ["or", alts.map(function (a) { return self.phrase("key", [a]); })];
  };
  Compiler.prototype.namesExpr = function (ents) {
    var self = this;
    return ["or", ents.map(function (e) { return self.phrase("names", [e]); })];
  };
  Compiler.prototype.compile = function (node) {
    var self = this, kind = node[0];
    if (kind === "term") {
      var w = node[1], mode = node[2];
      if (mode === "exact") { this.forms[w] = 1; return [this.phrase("exact", [w]), false]; }
      if (mode === "prefix") { this.prefixes.push(w); this.need(w); return [this.phrase("exact", [w], true), false]; }
      var text = this.textTerm(w), ents = this.namesFor([w]);
      return [ents.length ? ["or", [text, this.namesExpr(ents)]] : text, false];
    }
    if (kind === "phrase") {
      var words = node[1];
      if (node[2]) {
        words.forEach(function (x) { self.forms[x] = 1; });
        return [this.phrase("exact", words), false];
      }
      var per = words.map(function (x) { return self.stems(x); });
      var width = M.latin.length;
      var seen = {}, alts = [];
      for (var i = 0; i < width; i++) {
        var stems = per.map(function (s) { return s[Math.min(i, s.length - 1)]; });
        stems.forEach(function (s) { self.keys[s] = 1; });
        if (seen[stems.join(" ")]) continue;
        seen[stems.join(" ")] = 1;
        alts.push(this.phrase("key", stems));
      }
      var pents = this.namesFor(words);
      if (pents.length) alts.push(this.namesExpr(pents));
      return [["or", alts], false];
    }
    if (kind === "not") {
      var inner = this.compile(node[1]);
      if (inner[1]) throw new QueryError("double negation (NOT NOT)");
      return [inner[0], true];
    }
    if (kind === "or") {
      var parts = node[1].map(function (c) { return self.compile(c); });
      if (parts.some(function (p) { return p[1]; })) throw new QueryError("NOT cannot be an alternative of OR");
      return [["or", parts.map(function (p) { return p[0]; })], false];
    }
    var children = this.nameRuns(node[1]);
    var compiled = children.map(function (c) { return c[0] === "name" ? [c[1], false] : self.compile(c); });
    var pos = compiled.filter(function (p) { return !p[1]; }).map(function (p) { return p[0]; });
    var neg = compiled.filter(function (p) { return p[1]; }).map(function (p) { return p[0]; });
    if (!pos.length) return [["or", neg], true];
    return [["andnot", pos, neg], false];
  };
  Compiler.prototype.nameRuns = function (children) {
    var out = [], i = 0, self = this;
    while (i < children.length) {
      var done = false;
      for (var width = 4; width >= 2 && !done; width--) {
        var run = children.slice(i, i + width);
        if (run.length !== width || !run.every(function (c) { return c[0] === "term" && c[2] === "stem"; })) continue;
        var words = run.map(function (c) { return c[1]; });
        if (words.every(function (w) { return M.particles.indexOf(w) >= 0; })) continue;
        var ents = this.namesFor(words);
        if (ents.length) {
          var text = ["and", words.map(function (w) { return self.textTerm(w); })];
          out.push(["name", ["or", [text, this.namesExpr(ents)]]]);
          i += width;
          done = true;
        }
      }
      if (!done) { out.push(children[i]); i += 1; }
    }
    return out;
  };

  /* ---- matching with positions; bm25 like FTS5 (k1 1.2, b 0.75, weighted frequencies) ---- */
  /* other: the index of front matter and register entries (opost, oexact) instead of letters' */
  var decoded = {};
  function keyPostings(k, other) {
    var id = (other ? "ok" : "k") + k;
    if (decoded[id]) return decoded[id];
    var sh = shardOf(k), p = (sh && (other ? sh.opost && sh.opost[k] : sh.post[k])) || [], out = new Map();
    for (var i = 0; i < p.length;) {
      var doc = p[i++], cols = [];
      for (var c = 0; c < 3; c++) { var n = p[i++]; cols.push(p.slice(i, i + n)); i += n; }
      out.set(doc, cols);
    }
    return (decoded[id] = out);
  }
  function exactPostings(w, other) {
    var id = (other ? "ox" : "x") + w;
    if (decoded[id]) return decoded[id];
    var sh = shardOf(w), p = (sh && (other ? sh.oexact && sh.oexact[w] : sh.exact[w])) || [], out = new Map();
    for (var i = 0; i < p.length;) {
      var doc = p[i++], n = p[i++];
      out.set(doc, [p.slice(i, i + n)]);
      i += n;
    }
    return (decoded[id] = out);
  }
  function prefixPostings(w, other) {
    var sh = shardOf(w), out = new Map();
    if (!sh) return out;
    Object.keys((other ? sh.oexact : sh.exact) || {}).forEach(function (f) {
      if (f.indexOf(w) !== 0) return;
      exactPostings(f, other).forEach(function (cols, doc) {
        var have = out.get(doc);
        if (have) have[0] = have[0].concat(cols[0]); else out.set(doc, [cols[0].slice()]);
      });
    });
    return out;
  }
  function countPhrase(lists) {
    /* instances of a phrase in one column: positions of the first word followed by the rest */
    if (lists.length === 1) return lists[0].length;
    var rest = lists.slice(1).map(function (l) { return new Set(l); }), n = 0;
    lists[0].forEach(function (p) {
      if (rest.every(function (s, j) { return s.has(p + j + 1); })) n++;
    });
    return n;
  }
  /* doc -> weighted frequency of the phrase (only docs where it occurs) */
  function phraseFreqs(ph, other) {
    var W = M.weights, out = new Map();
    if (ph.col === "names") {
      if (other) {
        var doc = OTHER.ent[ph.toks[0]];
        if (doc !== undefined) out.set(doc, W[3]);
        return out;
      }
      (entLetters[ph.toks[0]] || []).forEach(function (d) { out.set(d, W[3]); });
      return out;
    }
    var lists = ph.toks.map(function (t) {
      return ph.col === "key" ? keyPostings(t, other) : ph.prefix ? prefixPostings(t, other) : exactPostings(t, other);
    });
    var weights = ph.col === "key" ? [W[0], W[1], W[2]] : [W[4]];
    lists[0].forEach(function (cols, doc) {
      var per = lists.map(function (l) { return l.get(doc); });
      if (per.some(function (x) { return !x; })) return;
      var f = 0;
      for (var c = 0; c < weights.length; c++) {
        var n = countPhrase(per.map(function (x) { return x[c]; }));
        f += n * weights[c];
      }
      if (f > 0) out.set(doc, f);
    });
    return out;
  }
  function evaluate(node, field) {
    /* the set of matching letters (a Map used as a set); field: "freqs" or "ofreqs" (other) */
    field = field || "freqs";
    if (node[0] === "ph") return node[1][field];
    if (node[0] === "or") {
      var u = new Map();
      node[1].forEach(function (c) { evaluate(c, field).forEach(function (_, d) { u.set(d, 1); }); });
      return u;
    }
    if (node[0] === "and" || node[0] === "andnot") {
      var sets = node[1].map(function (c) { return evaluate(c, field); });
      sets.sort(function (a, b) { return a.size - b.size; });
      var out = new Map();
      sets[0].forEach(function (_, d) {
        if (sets.every(function (s) { return s.has(d); })) out.set(d, 1);
      });
      if (node[0] === "andnot" && node[2].length) {
        var neg = evaluate(["or", node[2]], field);
        neg.forEach(function (_, d) { out.delete(d); });
      }
      return out;
    }
    throw new Error("unknown node " + node[0]);
  }
  function search(q, filters) {
    var tree = parse(q), comp, expr = null, negative = true;
    for (var round = 0; round < 4 && tree; round++) {
      comp = new Compiler();
      var r = comp.compile(tree);
      expr = r[0];
      negative = r[1];
      var loads = Object.keys(comp.missing).map(loadShard);
      if (filters.length && FD === null) loads.push(loadFacets());
      if (!loads.length) break;
      return Promise.all(loads).then(function () { return search(q, filters); });
    }
    if (filters.length && FD === null) return loadFacets().then(function () { return search(q, filters); });
    var N = M.n, ids, scores = null;
    if (expr) comp.phrases.forEach(function (ph) { ph.freqs = phraseFreqs(ph); });
    if (expr && !negative) {
      ids = Array.from(evaluate(expr).keys());
      scores = bm25(comp.phrases, ids, N);
    } else {
      var not = expr ? evaluate(expr) : new Map();
      ids = [];
      for (var i = 0; i < N; i++) if (!not.has(i)) ids.push(i);
    }
    ids = ids.filter(function (i) {
      return filters.every(function (f) { return facetValues(i, f[0]).indexOf(f[1]) >= 0; });
    });
    ids.sort(function (a, b) {
      var d = scores ? scores.get(b) - scores.get(a) : 0;
      return d || M.numbers[a] - M.numbers[b];
    });
    return Promise.resolve({ ids: ids, comp: comp || new Compiler(), scores: scores,
                             expr: expr, negative: negative });
  }
  function searchOther(r) {
    /* the best front matter and register entries for the same expression (query.py: _other) */
    if (!r.expr || r.negative) return Promise.resolve([]);
    return loadOther().then(function () {
      var phrases = r.comp.phrases;
      phrases.forEach(function (ph) { ph.ofreqs = phraseFreqs(ph, true); });
      var ids = Array.from(evaluate(r.expr, "ofreqs").keys());
      var scores = bm25(phrases, ids, OTHER.lengths.length, OTHER.lengths, "ofreqs");
      ids.sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
      return ids.slice(0, OTHER_LIMIT);
    });
  }
  function bm25(phrases, ids, N, lengths, field) {
    var k1 = 1.2, b = 0.75, total = 0;
    lengths = lengths || M.lengths;
    field = field || "freqs";
    if (lengths === M.lengths && M.avgdl != null) total = M.avgdl * N;
    else lengths.forEach(function (n) { total += n; });
    var avgdl = total / N;
    if (lengths === M.lengths) M.avgdl = avgdl;
    var idf = phrases.map(function (ph) {
      var v = Math.log((N - ph[field].size + 0.5) / (ph[field].size + 0.5));
      return v <= 0 ? 1e-6 : v;
    });
    var out = new Map();
    ids.forEach(function (d) {
      var s = 0, norm = k1 * (1 - b + b * lengths[d] / avgdl);
      phrases.forEach(function (ph, i) {
        var f = ph[field].get(d) || 0;
        if (f) s += idf[i] * (f * (k1 + 1)) / (f + norm);
      });
      out.set(d, parseFloat(s.toPrecision(12)));  // SQLite hands ranks over with 15 digits
    });
    return out;
  }
  ES.search = function (q, params) {
    /* {total, ids: [letter ids best first]} for tests and other pages */
    var filters = Object.keys(params || {}).map(function (k) { return [k, String(params[k])]; });
    return search(q, filters).then(function (r) {
      return Promise.all([loadRows(), searchOther(r)]).then(function (got) {
        return {
          total: r.ids.length,
          ids: r.ids.map(function (i) { return row(i)[F.id]; }),
          other: got[1].map(function (j) { var d = OTHER.docs[j]; return { kind: d[0], id: d[1], title: d[2] }; })
        };
      });
    });
  };

  /* ---- facets ---- */
  function facetValues(i, key) {
    /* the values of facet key for letter i (needs search/facets.js) */
    var r = FD.rows[i] || [null, "", []];
    if (key === "year") return r[0] == null ? [] : [String(r[0])];
    if (key === "kind") return r[1] ? [r[1]] : [];
    var k = M.valueKeys.indexOf(key);
    return (k >= 0 && r[2][k]) || [];
  }
  function label(key, value) {
    if (key === "year" || key === "kind") return value;
    return FD.names[value] || value;
  }

  /* ---- rendering ---- */
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }
  function hrefWith(params, key, value) {
    var p = new URLSearchParams(params.toString());
    if (value == null) p.delete(key); else p.set(key, value);
    return "?" + p.toString();
  }
  function marker(comp) {
    /* is a folded word a hit? its form maps to a key of the query, or is an exact form/prefix */
    return function (w) {
      if (comp.forms[w]) return true;
      if (comp.prefixes.some(function (p) { return w.indexOf(p) === 0; })) return true;
      var sh = shardOf(w), f = sh && sh.forms[w];
      if (!f) return false;
      var keys = typeof f[0] === "string" ? [f[0]] : f[0];
      if (keys.some(function (k) { return comp.keys[k]; })) return true;
      return (f[1] || []).some(function (e) { return e in comp.entities; });
    };
  }
  function snippets(parent, sources, isHit, max) {
    var made = 0, MAX_SNIPPETS = max || MAX_SNIPPETS_LETTER;
    sources.forEach(function (src) {
      if (made >= MAX_SNIPPETS) return;
      var where = src[0], text = src[1], spans = [], m;
      WORD_RE.lastIndex = 0;
      while ((m = WORD_RE.exec(text))) spans.push([m.index, m.index + m[0].length]);
      var hits = [];
      spans.forEach(function (s, i) {
        var t = tokens(text.slice(s[0], s[1]));
        if (t.length && isHit(t[0])) hits.push(i);
      });
      var hitset = new Set(hits), lastEnd = -1;
      hits.forEach(function (i) {
        if (made >= MAX_SNIPPETS || i <= lastEnd) return;
        var lo = Math.max(0, i - WINDOW), hi = Math.min(spans.length - 1, i + WINDOW);
        while (hi + 1 < spans.length && [hi - 2, hi - 1, hi].some(function (j) { return hitset.has(j); })) {
          hi = Math.min(spans.length - 1, hi + 3);
        }
        var p = el("p", { class: "snippet snippet-" + where });
        if (lo > 0) p.appendChild(document.createTextNode("… "));
        var pos = spans[lo][0];
        for (var j = lo; j <= hi; j++) {
          p.appendChild(document.createTextNode(text.slice(pos, spans[j][0]).replace(/\s+/g, " ")));
          var word = text.slice(spans[j][0], spans[j][1]);
          p.appendChild(hitset.has(j) ? el("mark", {}, word) : document.createTextNode(word));
          pos = spans[j][1];
        }
        p.appendChild(document.createTextNode(hi < spans.length - 1 ? " …" : text.slice(pos)));
        parent.appendChild(p);
        made++;
        lastEnd = hi;
      });
    });
  }

  function run() {
    var params = new URLSearchParams(location.search);
    var q = params.get("q") || "";
    var input = document.getElementById("q");
    if (input) input.value = q;
    var form = document.getElementById("search-form");
    var active = M.facets.filter(function (f) { return params.get(f[0]); });
    active.forEach(function (f) {
      if (form && !form.querySelector('input[name="' + f[0] + '"]')) {
        form.appendChild(el("input", { type: "hidden", name: f[0], value: params.get(f[0]) }));
      }
    });
    var results = document.getElementById("results");
    if (!q.trim() && !active.length) { results.textContent = ""; return; }
    var filters = active.map(function (f) { return [f[0], params.get(f[0])]; });
    var t0 = performance.now();
    var started;
    loadRows();  // beside the query's shards, not after them
    try { started = search(q, filters); } catch (e) { return showError(results, e); }
    started.then(function (r) {
      render(params, r.ids, r.comp).then(function () { return searchOther(r); })
        .then(function (other) { renderOther(other, r.comp); });
      ES.lastTiming = performance.now() - t0;
    }, function (e) { showError(results, e); });
  }
  function showError(results, e) {
    if (!(e instanceof QueryError)) throw e;
    results.textContent = "";
    results.appendChild(el("p", { class: "error" }, e.message));
    results.appendChild(el("p", { class: "total" })).appendChild(el("span", { id: "total" }, "0"));
  }

  function render(params, ids, comp) {
    var results = document.getElementById("results");
    results.textContent = "";
    var total = el("p", { class: "total" });
    total.appendChild(el("span", { id: "total" }, String(ids.length)));
    total.appendChild(document.createTextNode(" " + (ids.length === 1 ? L("letter") : L("letters"))));
    results.appendChild(total);
    var ol = el("ol", { class: "hits" });
    var shown = 0, isHit = marker(comp), highlight = comp.phrases.length > 0;
    function more() {
      var page = ids.slice(shown, shown + PAGE);
      shown += PAGE;
      button.hidden = shown >= ids.length;
      return loadRows().then(function () { draw(page); });
    }
    function draw(page) {
      page.forEach(function (i) {
        var L = row(i);
        var li = el("li", { class: "result" });
        li.appendChild(el("a", { class: "hit", href: base + "letters/" + L[F.slug] + ".html" }, L[F.label]));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", { class: "date" }, L[F.date]));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", { class: "parties" }, L[F.sender] + " → " + L[F.addressee]));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", { class: "kind" }, L[F.kind]));
        ol.appendChild(li);
        if (highlight) loadText(i).then(function (src) { snippets(li, src || [], isHit); });
      });
    }
    results.appendChild(ol);
    var button = el("button", { type: "button", class: "more" }, L("More results"));
    button.addEventListener("click", more);
    results.appendChild(button);
    // the first page first; the facet values (all results') after it is on screen
    return more().then(loadFacets).then(function () { renderFacets(params, ids); });
  }

  function renderOther(list, comp) {
    /* hits in the front matter and the registers, below the letters (the API's "other") */
    if (!list.length) return;
    var isHit = marker(comp);
    var sec = el("section", { id: "other", class: "other-hits" });
    sec.appendChild(el("h2", {}, L("Front matter and registers")));
    var ol = el("ol", { class: "hits" });
    list.forEach(function (j) {
      var d = OTHER.docs[j], li = el("li", { class: "other-hit", "data-kind": d[0], "data-id": d[1] });
      li.appendChild(d[3] ? el("a", { class: "hit", href: base + d[3] }, d[2]) : el("span", { class: "hit" }, d[2]));
      ol.appendChild(li);
      var texts = d[4] ? loadOtherText(j) : Promise.resolve();
      texts.then(function () { snippets(li, otherText(j) || [["title", d[2]]], isHit, 1); });
    });
    sec.appendChild(ol);
    document.getElementById("results").appendChild(sec);
  }

  function renderFacets(params, ids) {
    var box = document.getElementById("facets");
    box.textContent = "";
    M.facets.forEach(function (f) {
      var counts = {};
      ids.forEach(function (i) {
        facetValues(i, f[0]).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      var values = Object.keys(counts).sort(function (a, b) {
        return f[0] === "year" ? a - b : counts[b] - counts[a] || label(f[0], a).localeCompare(label(f[0], b));
      });
      if (f[0] !== "year") values = values.slice(0, FACET_LIMIT);
      if (!values.length) return;
      var sec = el("section", { class: "facet", "data-facet": f[0] });
      sec.appendChild(el("h2", {}, L(f[1])));
      var ul = el("ul");
      var current = params.get(f[0]);
      values.forEach(function (v) {
        var li = el("li", current === v ? { class: "active" } : {});
        var a = el("a", { href: hrefWith(params, f[0], current === v ? null : v), "data-facet-value": v }, label(f[0], v) + " ");
        a.appendChild(el("span", { class: "n" }, String(counts[v])));
        li.appendChild(a);
        ul.appendChild(li);
      });
      sec.appendChild(ul);
      box.appendChild(sec);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
