// What a result shows of its section's text: the part around the densest cluster of the query's
// terms, with the terms marked. Every piece of text is set as text (text nodes and
// textContent): nothing from the index or the query is read as HTML.

import { matches } from "./terms.js";

/** How much of a section's text a result shows. */
const SNIPPET_CHARS = 180;

/** Fills `el` with the part of `text` around the densest cluster of `terms`, the terms marked. */
export function fillSnippet(el, text, terms) {
  const spans = matches(text, terms);
  const start = boundary(text, snippetStart(text, spans));
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  const after = text.indexOf(" ", end);
  if (end < text.length && after >= 0 && after - end < 20) end = after;
  end = boundary(text, end);
  el.textContent = "";
  if (start > 0) el.appendChild(document.createTextNode("…"));
  appendMarked(el, text.slice(start, end), within(spans, start, end));
  if (end < text.length) el.appendChild(document.createTextNode("…"));
}

/**
 * Appends `text` to `el` with the `spans` ([{ start, end }], in order of their start) in
 * <mark>; overlapping ones, as bigrams are, are joined.
 */
export function appendMarked(el, text, spans) {
  const joined = [];
  for (const s of spans) {
    const last = joined[joined.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else joined.push({ start: s.start, end: s.end });
  }
  let at = 0;
  for (const s of joined) {
    if (s.start > at) el.appendChild(document.createTextNode(text.slice(at, s.start)));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(s.start, s.end);
    el.appendChild(mark);
    at = s.end;
  }
  if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
}

/** Where the snippet starts: a little before the span that begins the most varied cluster. */
function snippetStart(text, spans) {
  if (!spans.length) return 0;
  let best = 0;
  let bestCount = -1;
  for (let i = 0; i < spans.length; i++) {
    const distinct = new Set();
    for (let j = i; j < spans.length && spans[j].start < spans[i].start + SNIPPET_CHARS * 0.7; j++) distinct.add(spans[j].term);
    if (distinct.size > bestCount) {
      best = i;
      bestCount = distinct.size;
    }
  }
  let start = Math.max(0, spans[best].start - 40);
  const space = text.lastIndexOf(" ", start);
  if (start > 0 && space >= 0 && start - space < 20) start = space + 1;
  return start;
}

/** The `spans` inside start..end, counted from `start`. */
function within(spans, start, end) {
  return spans.filter((s) => s.start >= start && s.end <= end)
    .map((s) => ({ start: s.start - start, end: s.end - start, term: s.term }));
}

/** Never cut a character in two. */
function boundary(text, i) {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff ? i + 1 : i;
}
