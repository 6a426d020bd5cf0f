// Full-text search from the box in the top bar, loaded by search.js when the reader
// first focuses the box or types.
//
// Only what a query needs is fetched: search/meta.json, the shards of the term index
// that hold the words typed, and the headings and texts of the results shown (the files
// are described in site-gen/src/search/mod.rs). Every piece of text shown is set with
// textContent or createTextNode: nothing from the index or the query is read as HTML.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-results");
  var script = document.currentScript;
  if (!input || !panel || !script || !window.fetch) return;

  var FORMAT_VERSION = 1;
  var MAX_TERM_CHARS = 64;
  var RESULTS_AT_ONCE = 10;
  var MAX_COMPLETIONS = 64;
  var SNIPPET_CHARS = 180;
  // Snippets are fetched once the reader pauses, not for every letter typed.
  var SNIPPET_DELAY_MS = 400;
  // A word being typed matches as a prefix from this many characters on.
  var MIN_PREFIX_CHARS = 3;
  // How long typing must pause before a search runs; longer while the word being typed
  // is still short, since the next letter will most likely change everything.
  var TYPING_PAUSE_MS = 150;
  var SHORT_WORD_PAUSE_MS = 400;
  // The score of each weight in postings.rs: in the text, three times or more in the
  // text, in the section's heading, in the page's title.
  var WEIGHTS = [1, 1.5, 12, 40];

  var siteRoot = new URL("../", script.src);
  var indexRoot = new URL("search/", siteRoot);
  var box = input.closest(".search") || input.parentNode;
  var root = document.documentElement;

  // ---- Terms: the same rules as site-gen/src/search/tokenise.rs ----

  var WORD_CHAR = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}\p{M}]/u;
  var IGNORED = /[\u00ad\u200c\u200d\u2060\ufeff]/;
  var ASCII = /^[\x00-\x7f]*$/;

  function isUnspaced(cp) {
    return (cp >= 0x0e00 && cp <= 0x0eff) || (cp >= 0x1000 && cp <= 0x109f) || (cp >= 0x1780 && cp <= 0x17ff) ||
      (cp >= 0x3005 && cp <= 0x3007) || (cp >= 0x3021 && cp <= 0x3029) || (cp >= 0x3031 && cp <= 0x3035) ||
      (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff66 && cp <= 0xff9f) ||
      (cp >= 0x20000 && cp <= 0x3134f);
  }

  function normalise(s) {
    if (ASCII.test(s)) return s.toLowerCase();
    return s.normalize("NFKC").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .normalize("NFC").replace(/ς/g, "σ");
  }

  // Splits text into words (of scripts with spaces) and runs of unspaced characters,
  // calling onWord(text, start, end) and onRun(chars) where chars are [{c, start, end}]
  // (start and end are UTF-16 offsets into text).
  function scan(text, onWord, onRun) {
    var word = "", wordStart = -1, wordEnd = -1, run = [];
    function endWord() {
      if (word) onWord(word, wordStart, wordEnd);
      word = "";
    }
    function endRun() {
      if (run.length) onRun(run);
      run = [];
    }
    for (var i = 0; i < text.length;) {
      var cp = text.codePointAt(i);
      var c = String.fromCodePoint(cp);
      var next = i + c.length;
      if (IGNORED.test(c)) {
        if (word) wordEnd = next;
      } else if (!WORD_CHAR.test(c)) {
        endWord();
        endRun();
      } else if (isUnspaced(cp)) {
        endWord();
        run.push({ c: c, start: i, end: next });
      } else {
        endRun();
        if (!word) wordStart = i;
        word += c;
        wordEnd = next;
      }
      i = next;
    }
    endWord();
    endRun();
  }

  function wordTerm(raw) {
    var t = normalise(raw);
    return t && Array.from(t).length <= MAX_TERM_CHARS ? t : null;
  }

  // The terms the index holds for text: what tokenise.rs gives.
  function indexTerms(text) {
    var out = [];
    scan(text, function (raw) {
      var t = wordTerm(raw);
      if (t) out.push(t);
    }, function (run) {
      var chars = Array.from(normalise(run.map(function (r) { return r.c; }).join("")));
      for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      if (chars.length) out.push(chars[chars.length - 1]);
    });
    return out;
  }

  // The terms of a query: [{term, prefix, run}]. The word being typed (the last one,
  // unless the query ends in a space) matches as a prefix once it has MIN_PREFIX_CHARS
  // characters. A run of unspaced characters gives its bigrams; a single character
  // matches every term starting with it.
  function queryTerms(query) {
    var out = [];
    scan(query, function (raw) {
      var t = wordTerm(raw);
      if (t) out.push({ term: t, prefix: false, run: false });
    }, function (run) {
      var chars = Array.from(normalise(run.map(function (r) { return r.c; }).join("")));
      if (chars.length === 1) out.push({ term: chars[0], prefix: true, run: true });
      for (var i = 0; i + 1 < chars.length; i++) out.push({ term: chars[i] + chars[i + 1], prefix: false, run: true });
    });
    var typing = query.length && WORD_CHAR.test(Array.from(query).pop());
    var last = out[out.length - 1];
    if (typing && last && !last.run && Array.from(last.term).length >= MIN_PREFIX_CHARS) last.prefix = true;
    var seen = {};
    return out.filter(function (q) {
      var key = q.term + (q.prefix ? "*" : "");
      if (seen[key]) return false;
      seen[key] = true;
      return true;
    });
  }

  // Where the query's terms occur in text: [{start, end, term}] (UTF-16 offsets).
  function matches(text, terms) {
    var spans = [];
    function hit(t, run) {
      for (var i = 0; i < terms.length; i++) {
        var q = terms[i];
        if (q.run !== run) continue;
        if (t === q.term || (q.prefix && !run && t.lastIndexOf(q.term, 0) === 0)) return q.term;
      }
      return null;
    }
    scan(text, function (raw, start, end) {
      var t = wordTerm(raw);
      var q = t && hit(t, false);
      if (q) spans.push({ start: start, end: end, term: q });
    }, function (run) {
      var chars = Array.from(normalise(run.map(function (r) { return r.c; }).join("")));
      if (chars.length !== run.length) {
        // Normalising changed the characters: mark the whole run if any part matches.
        for (var k = 0; k < chars.length; k++) {
          var q0 = hit(chars[k], true) || (k + 1 < chars.length && hit(chars[k] + chars[k + 1], true));
          if (q0) {
            spans.push({ start: run[0].start, end: run[run.length - 1].end, term: q0 });
            return;
          }
        }
        return;
      }
      for (var i = 0; i < chars.length; i++) {
        var one = hit(chars[i], true);
        if (one) spans.push({ start: run[i].start, end: run[i].end, term: one });
        var two = i + 1 < chars.length && hit(chars[i] + chars[i + 1], true);
        if (two) spans.push({ start: run[i].start, end: run[i + 1].end, term: two });
      }
    });
    return spans.sort(function (a, b) { return a.start - b.start; });
  }

  // ---- The index files ----

  var meta = null;
  var metaLoading = null;
  var files = new Map();

  function loadMeta() {
    if (!metaLoading) {
      metaLoading = fetch(new URL("meta.json", indexRoot), { cache: "no-cache" })
        .then(function (r) {
          if (!r.ok) throw new Error("search/meta.json: HTTP " + r.status);
          return r.json();
        })
        .then(function (m) {
          if (m.version !== FORMAT_VERSION) throw new Error("search/meta.json is of another version");
          meta = m;
          return m;
        });
      metaLoading.catch(function () { metaLoading = null; });
    }
    return metaLoading;
  }

  function loadFile(name, parse) {
    var loading = files.get(name);
    if (!loading) {
      loading = fetch(new URL(name + "?v=" + encodeURIComponent(meta.build), indexRoot))
        .then(function (r) {
          if (!r.ok) throw new Error("search/" + name + ": HTTP " + r.status);
          return r.json();
        })
        .then(parse || function (x) { return x; });
      files.set(name, loading);
      loading.catch(function () { files.delete(name); });
    }
    return loading;
  }

  function loadShard(n) {
    return loadFile("terms-" + n + ".json", function (data) {
      return { data: data, keys: Object.keys(data).sort() };
    });
  }

  // The last shard whose first term is not after term (0 when term is before them all).
  function shardOf(term) {
    var lo = 0, hi = meta.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (meta.shards[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function firstAtOrAfter(keys, term) {
    var lo = 0, hi = keys.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] < term) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT_VALUE = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUE[DIGITS[d]] = d;

  // Postings as written by postings.rs: [section, weight, section, weight, …].
  function decode(text) {
    var out = [], value = 0, scale = 1, section = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT_VALUE[text[i]];
      if (digit === undefined) break;
      if (digit >= 32) {
        value += (digit - 32) * scale;
        scale *= 32;
      } else {
        value += digit * scale;
        section += Math.floor(value / 4);
        out.push(section, value % 4);
        value = 0;
        scale = 1;
      }
    }
    return out;
  }

  // The sections holding a query term, with their scores: Map(section → score).
  async function sectionsWith(q) {
    var found = [];
    var own = Object.prototype.hasOwnProperty;
    if (!meta.shards.length) return new Map();
    var first = shardOf(q.term);
    if (!q.prefix) {
      var shard = await loadShard(first);
      if (own.call(shard.data, q.term)) found.push([q.term, shard.data[q.term]]);
    } else {
      // The completions in the shard where the word would be or, when it has none
      // there, in the next shard (never more: a short prefix could span many).
      for (var n = first; n < meta.shards.length && n <= first + 1; n++) {
        if (n > first && (found.length || meta.shards[n].lastIndexOf(q.term, 0) !== 0)) break;
        var s = await loadShard(n);
        for (var k = firstAtOrAfter(s.keys, q.term); k < s.keys.length && s.keys[k].lastIndexOf(q.term, 0) === 0; k++) {
          found.push([s.keys[k], s.data[s.keys[k]]]);
        }
      }
      // The exact word first, then the shortest completions.
      found.sort(function (a, b) { return a[0].length - b[0].length; });
      found = found.slice(0, MAX_COMPLETIONS);
    }
    var scores = new Map();
    found.forEach(function (entry) {
      var postings = decode(entry[1]);
      var rarity = Math.log(1 + meta.sections / Math.max(1, postings.length / 2));
      var factor = entry[0] === q.term ? 1 : 0.6;
      for (var i = 0; i < postings.length; i += 2) {
        var score = WEIGHTS[postings[i + 1]] * rarity * factor;
        var had = scores.get(postings[i]);
        if (had === undefined || had < score) scores.set(postings[i], score);
      }
    });
    return scores;
  }

  // The terms worth looking up: all but the common ones (such as "the" in a large
  // English book), unless there are only common ones.
  function useful(terms) {
    var common = new Set(meta.common || []);
    var rare = terms.filter(function (q) { return !common.has(q.term); });
    return rare.length ? rare : terms;
  }

  // Every section holding all the terms, best first: [{section, score}].
  async function search(terms) {
    var lists = await Promise.all(terms.map(sectionsWith));
    lists.sort(function (a, b) { return a.size - b.size; });
    var results = [];
    lists[0].forEach(function (score, section) {
      for (var i = 1; i < lists.length; i++) {
        var more = lists[i].get(section);
        if (more === undefined) return;
        score += more;
      }
      results.push({ section: section, score: score });
    });
    results.sort(function (a, b) { return b.score - a.score || a.section - b.section; });
    return results;
  }

  async function describe(section) {
    var docs = await loadFile("docs-" + Math.floor(section / meta.docs_per_file) + ".json");
    var doc = docs.docs[section % meta.docs_per_file];
    var page = docs.pages[doc[0]];
    var url = new URL(page[0], siteRoot);
    if (url.origin !== siteRoot.origin) throw new Error("search/docs: a page outside the book");
    if (doc[1]) url.hash = doc[1];
    return { url: url.href, title: page[1], heading: doc[2] !== page[1] ? doc[2] : "" };
  }

  async function sectionText(section) {
    var texts = await loadFile("text-" + Math.floor(section / meta.texts_per_file) + ".json");
    return texts[section % meta.texts_per_file] || "";
  }

  // ---- Showing results ----

  var status = document.createElement("p");
  status.className = "search-status";
  status.setAttribute("role", "status");
  var listbox = document.createElement("div");
  listbox.id = "search-listbox";
  listbox.className = "search-list";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Search results");
  var more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.id = "search-more";
  more.hidden = true;
  panel.append(status, listbox, more);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-autocomplete", "list");

  var generation = 0;
  var current = { terms: [], results: [], shown: 0 };
  var active = -1;
  var timer = 0;

  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
    root.classList.add("search-open");
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    root.classList.remove("search-open");
    setActive(-1);
  }

  function options() {
    var list = Array.prototype.slice.call(listbox.children);
    if (!more.hidden) list.push(more);
    return list;
  }

  function setActive(i) {
    var all = options();
    active = all.length ? Math.max(-1, Math.min(i, all.length - 1)) : -1;
    all.forEach(function (el, k) {
      el.classList.toggle("active", k === active);
      if (el.getAttribute("role") === "option") el.setAttribute("aria-selected", String(k === active));
    });
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  // Appends text to el with the query's terms in <mark>.
  // (spans in order of their start; overlapping ones, as bigrams are, are joined).
  function appendMarked(el, text, spans) {
    var joined = [];
    spans.forEach(function (s) {
      var last = joined[joined.length - 1];
      if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
      else joined.push({ start: s.start, end: s.end });
    });
    var at = 0;
    joined.forEach(function (s) {
      if (s.start > at) el.appendChild(document.createTextNode(text.slice(at, s.start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s.start, s.end);
      el.appendChild(mark);
      at = s.end;
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  function within(text, spans, start, end) {
    return spans.filter(function (s) { return s.start >= start && s.end <= end; })
      .map(function (s) { return { start: s.start - start, end: s.end - start, term: s.term }; });
  }

  // Never cut a character in two.
  function boundary(text, i) {
    var code = text.charCodeAt(i);
    return code >= 0xdc00 && code <= 0xdfff ? i + 1 : i;
  }

  // The part of text around the densest cluster of matches, with the matches marked.
  function fillSnippet(el, text, terms) {
    var spans = matches(text, terms);
    var start = 0;
    if (spans.length) {
      var best = 0, bestCount = -1;
      for (var i = 0; i < spans.length; i++) {
        var distinct = {};
        for (var j = i; j < spans.length && spans[j].start < spans[i].start + SNIPPET_CHARS * 0.7; j++) distinct[spans[j].term] = true;
        var count = Object.keys(distinct).length;
        if (count > bestCount) { best = i; bestCount = count; }
      }
      start = Math.max(0, spans[best].start - 40);
      var space = text.lastIndexOf(" ", start);
      if (start > 0 && space >= 0 && start - space < 20) start = space + 1;
    }
    start = boundary(text, start);
    var end = Math.min(text.length, start + SNIPPET_CHARS);
    var after = text.indexOf(" ", end);
    if (end < text.length && after >= 0 && after - end < 20) end = after;
    end = boundary(text, end);
    el.textContent = "";
    if (start > 0) el.appendChild(document.createTextNode("…"));
    appendMarked(el, text.slice(start, end), within(text, spans, start, end));
    if (end < text.length) el.appendChild(document.createTextNode("…"));
  }

  function resultOption(n, info, terms) {
    var a = document.createElement("a");
    a.className = "search-result";
    a.id = "search-result-" + n;
    a.href = info.url;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    a.tabIndex = -1;
    var title = document.createElement("span");
    title.className = "search-result-title";
    appendMarked(title, info.title, matches(info.title, terms));
    a.appendChild(title);
    if (info.heading) {
      var heading = document.createElement("span");
      heading.className = "search-result-heading";
      appendMarked(heading, info.heading, matches(info.heading, terms));
      a.appendChild(heading);
    }
    var snippet = document.createElement("span");
    snippet.className = "search-result-snippet";
    a.appendChild(snippet);
    return { element: a, snippet: snippet };
  }

  // Shows the next RESULTS_AT_ONCE results of the current query.
  async function showMore(mine) {
    var from = current.shown;
    var slice = current.results.slice(from, from + RESULTS_AT_ONCE);
    var infos = await Promise.all(slice.map(function (r) { return describe(r.section); }));
    if (mine !== generation) return;
    var first = from === 0;
    var made = infos.map(function (info, k) {
      var option = resultOption(from + k, info, current.terms);
      listbox.appendChild(option.element);
      return option;
    });
    current.shown = from + slice.length;
    var rest = current.results.length - current.shown;
    more.hidden = rest <= 0;
    more.textContent = "Show " + Math.min(rest, RESULTS_AT_ONCE) + " more of " + rest;
    if (first) {
      await new Promise(function (resolve) { setTimeout(resolve, SNIPPET_DELAY_MS); });
      if (mine !== generation) return;
    }
    await Promise.all(slice.map(function (r, k) {
      return sectionText(r.section).then(function (text) {
        if (mine === generation) fillSnippet(made[k].snippet, text, current.terms);
      });
    }));
    if (mine === generation) panel.dataset.state = "done";
  }

  async function run() {
    var query = input.value;
    var terms = queryTerms(query);
    var mine = ++generation;
    var lone = terms.length === 1 && !terms[0].run && Array.from(terms[0].term).length < 2;
    if (!terms.length || lone) {
      listbox.textContent = "";
      more.hidden = true;
      current = { terms: [], results: [], shown: 0 };
      panel.dataset.state = "idle";
      close();
      return;
    }
    panel.dataset.state = "searching";
    if (!listbox.children.length) {
      status.textContent = "Searching…";
      open();
    }
    try {
      await loadMeta();
      terms = useful(terms);
      var results = await search(terms);
      if (mine !== generation) return;
      current = { terms: terms, results: results, shown: 0 };
      listbox.textContent = "";
      setActive(-1);
      status.textContent = results.length
        ? results.length + (results.length === 1 ? " result" : " results")
        : "No results for “" + query.trim() + "”";
      more.hidden = true;
      panel.dataset.query = query;
      open();
      await showMore(mine);
    } catch (e) {
      if (mine !== generation) return;
      listbox.textContent = "";
      more.hidden = true;
      status.textContent = "Search is unavailable: " + (e && e.message ? e.message : "the index could not be loaded") + ".";
      panel.dataset.query = query;
      panel.dataset.state = "error";
      open();
    }
  }

  function go(option) {
    if (option === more) {
      var next = current.shown;
      showMore(generation).then(function () { setActive(next); }, function () { more.hidden = true; });
      return;
    }
    close();
    window.location.assign(option.href);
  }

  function focused() {
    root.classList.add("search-active");
    loadMeta().catch(function () { /* reported when a query is run */ });
    if (!input.value) return;
    if (current.terms.length || panel.dataset.state === "error") open();
    else run();
  }
  input.addEventListener("focus", focused);
  input.addEventListener("blur", function () { root.classList.remove("search-active"); });
  // This script arrives once the reader has focused the box, and may have typed already.
  if (document.activeElement === input) focused();
  input.addEventListener("input", function () {
    clearTimeout(timer);
    // Whatever is still on its way for the previous text (results, snippets) is not wanted.
    generation++;
    var terms = queryTerms(input.value);
    var last = terms[terms.length - 1];
    var short = last && !last.run && !last.prefix && WORD_CHAR.test(Array.from(input.value).pop() || "");
    timer = setTimeout(run, short ? SHORT_WORD_PAUSE_MS : TYPING_PAUSE_MS);
  });
  input.addEventListener("keydown", function (event) {
    var all = options();
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (panel.hidden && all.length) open();
        setActive(active + 1 >= all.length ? 0 : active + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        setActive(active <= 0 ? -1 : active - 1);
        break;
      case "Enter":
        if (panel.hidden || !all.length) return;
        event.preventDefault();
        go(all[active >= 0 ? active : 0]);
        break;
      case "Escape":
        event.preventDefault();
        if (!panel.hidden) close();
        else if (input.value) { input.value = ""; run(); }
        else input.blur();
        break;
    }
  });
  more.addEventListener("click", function () { go(more); input.focus(); });
  listbox.addEventListener("mousemove", function (event) {
    var option = event.target.closest && event.target.closest(".search-result");
    if (option) setActive(options().indexOf(option));
  });
  document.addEventListener("pointerdown", function (event) {
    if (!panel.hidden && !box.contains(event.target)) close();
  });

  // The terms the index holds for a text, by the same rules as the index: lets a test
  // check that the browser and site-gen read words alike.
  window.bookSearch = { terms: indexTerms };
})();
