// Words as the search index has them: the same rules as site-gen/src/search/tokenise.rs (the
// browser tests hold the two equal through `window.bookSearch.terms`). Text is split into words
// of scripts written with spaces, and runs of characters of scripts written without them
// (Chinese, Japanese, Thai…), which the index holds as pairs of characters; every term is
// normalised (NFKC, lower case, no accents).

const MAX_TERM_CHARS = 64;
/** A word being typed matches as a prefix from this many characters on. */
const MIN_PREFIX_CHARS = 3;

const WORD_CHAR = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}\p{M}]/u;
const IGNORED = /[\u00ad\u200c\u200d\u2060\ufeff]/;
const ASCII = /^[\x00-\x7f]*$/;

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

/**
 * Splits text into words (of scripts with spaces) and runs of unspaced characters, calling
 * `onWord(text, start, end)` and `onRun(chars)` where chars are [{ c, start, end }] (start and
 * end are UTF-16 offsets into text).
 */
function scan(text, onWord, onRun) {
  let word = "";
  let wordStart = -1;
  let wordEnd = -1;
  let run = [];
  const endWord = () => {
    if (word) onWord(word, wordStart, wordEnd);
    word = "";
  };
  const endRun = () => {
    if (run.length) onRun(run);
    run = [];
  };
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i);
    const c = String.fromCodePoint(cp);
    const next = i + c.length;
    if (IGNORED.test(c)) {
      if (word) wordEnd = next;
    } else if (!WORD_CHAR.test(c)) {
      endWord();
      endRun();
    } else if (isUnspaced(cp)) {
      endWord();
      run.push({ c, start: i, end: next });
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
  const t = normalise(raw);
  return t && Array.from(t).length <= MAX_TERM_CHARS ? t : null;
}

/** A run's characters, normalised. */
function runChars(run) {
  return Array.from(normalise(run.map((r) => r.c).join("")));
}

/** The terms the index holds for `text`: what tokenise.rs gives. */
export function indexTerms(text) {
  const out = [];
  scan(text, (raw) => {
    const t = wordTerm(raw);
    if (t) out.push(t);
  }, (run) => {
    const chars = runChars(run);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    if (chars.length) out.push(chars[chars.length - 1]);
  });
  return out;
}

/**
 * The terms of a query: [{ term, prefix, run }]. The word being typed (the last one, unless the
 * query ends in a space) matches as a prefix once it has MIN_PREFIX_CHARS characters. A run of
 * unspaced characters gives its bigrams; a single character matches every term starting with it.
 */
export function queryTerms(query) {
  const out = [];
  scan(query, (raw) => {
    const t = wordTerm(raw);
    if (t) out.push({ term: t, prefix: false, run: false });
  }, (run) => {
    const chars = runChars(run);
    if (chars.length === 1) out.push({ term: chars[0], prefix: true, run: true });
    for (let i = 0; i + 1 < chars.length; i++) out.push({ term: chars[i] + chars[i + 1], prefix: false, run: true });
  });
  const last = out[out.length - 1];
  if (query.length && endsInWord(query) && last && !last.run && Array.from(last.term).length >= MIN_PREFIX_CHARS) last.prefix = true;
  const seen = new Set();
  return out.filter((q) => {
    const key = q.term + (q.prefix ? "*" : "");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where the query's `terms` occur in `text`: [{ start, end, term }] (UTF-16 offsets), in order. */
export function matches(text, terms) {
  const spans = [];
  const hit = (t, run) => {
    for (const q of terms) {
      if (q.run !== run) continue;
      if (t === q.term || (q.prefix && !run && t.startsWith(q.term))) return q.term;
    }
    return null;
  };
  scan(text, (raw, start, end) => {
    const t = wordTerm(raw);
    const q = t && hit(t, false);
    if (q) spans.push({ start, end, term: q });
  }, (run) => spans.push(...runMatches(run, hit)));
  return spans.sort((a, b) => a.start - b.start);
}

/** The spans of a run of unspaced characters where `hit` finds a term. */
function runMatches(run, hit) {
  const chars = runChars(run);
  const spans = [];
  if (chars.length !== run.length) {
    // Normalising changed the characters: mark the whole run if any part matches.
    for (let k = 0; k < chars.length; k++) {
      const q = hit(chars[k], true) || (k + 1 < chars.length && hit(chars[k] + chars[k + 1], true));
      if (q) return [{ start: run[0].start, end: run[run.length - 1].end, term: q }];
    }
    return spans;
  }
  for (let i = 0; i < chars.length; i++) {
    const one = hit(chars[i], true);
    if (one) spans.push({ start: run[i].start, end: run[i].end, term: one });
    const two = i + 1 < chars.length && hit(chars[i] + chars[i + 1], true);
    if (two) spans.push({ start: run[i].start, end: run[i + 1].end, term: two });
  }
  return spans;
}

/** Whether `text` ends in a word character (a word is still being typed). */
export function endsInWord(text) {
  return WORD_CHAR.test(Array.from(text).pop() || "");
}
