// Which sections answer a query, best first: every term's sections are looked up in the shard of
// the term index that holds it (a word being typed: its completions), scored by where the term
// is (title, heading, text) and how rare it is, and only sections holding every term are kept.

import { decode } from "./postings.js";

/** The most completions a word being typed is looked up as. */
const MAX_COMPLETIONS = 64;
/**
 * The score of each weight in postings.rs: in the text, three times or more in the text, in the
 * section's heading, in the page's title.
 */
const WEIGHTS = [1, 1.5, 12, 40];

/** Every section holding all the `terms` (from `queryTerms`), best first: [{ section, score }]. */
export async function search(index, terms) {
  const lists = await Promise.all(terms.map((q) => sectionsWith(index, q)));
  lists.sort((a, b) => a.size - b.size);
  const results = [];
  lists[0].forEach((score, section) => {
    for (let i = 1; i < lists.length; i++) {
      const more = lists[i].get(section);
      if (more === undefined) return;
      score += more;
    }
    results.push({ section, score });
  });
  results.sort((a, b) => b.score - a.score || a.section - b.section);
  return results;
}

/**
 * The terms worth looking up: all but the common ones (such as "the" in a large English book),
 * unless there are only common ones.
 */
export function useful(meta, terms) {
  const common = new Set(meta.common || []);
  const rare = terms.filter((q) => !common.has(q.term));
  return rare.length ? rare : terms;
}

/** The sections holding the query term `q`, with their scores: Map(section → score). */
async function sectionsWith(index, q) {
  const { meta } = index;
  if (!meta.shards.length) return new Map();
  const found = q.prefix ? await completions(index, q.term) : await exactly(index, q.term);
  const scores = new Map();
  for (const [term, text] of found) {
    const postings = decode(text);
    const rarity = Math.log(1 + meta.sections / Math.max(1, postings.length / 2));
    const factor = term === q.term ? 1 : 0.6;
    for (let i = 0; i < postings.length; i += 2) {
      const score = WEIGHTS[postings[i + 1]] * rarity * factor;
      const had = scores.get(postings[i]);
      if (had === undefined || had < score) scores.set(postings[i], score);
    }
  }
  return scores;
}

/** `term` and its postings, if the index has it: [[term, postings]] or []. */
async function exactly(index, term) {
  const shard = await index.shard(shardOf(index.meta, term));
  return Object.hasOwn(shard.data, term) ? [[term, shard.data[term]]] : [];
}

/**
 * The terms starting with `prefix`, with their postings: those in the shard where the word would
 * be or, when it has none there, in the next shard (never more: a short prefix could span many);
 * the exact word first, then the shortest completions.
 */
async function completions(index, prefix) {
  const { meta } = index;
  const first = shardOf(meta, prefix);
  const found = [];
  for (let n = first; n < meta.shards.length && n <= first + 1; n++) {
    if (n > first && (found.length || !meta.shards[n].startsWith(prefix))) break;
    const shard = await index.shard(n);
    for (let k = firstAtOrAfter(shard.keys, prefix); k < shard.keys.length && shard.keys[k].startsWith(prefix); k++) {
      found.push([shard.keys[k], shard.data[shard.keys[k]]]);
    }
  }
  found.sort((a, b) => a[0].length - b[0].length);
  return found.slice(0, MAX_COMPLETIONS);
}

/** The last shard whose first term is not after `term` (0 when `term` is before them all). */
function shardOf(meta, term) {
  let lo = 0;
  let hi = meta.shards.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (meta.shards[mid] <= term) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The index of the first of the sorted `keys` not before `term`. */
function firstAtOrAfter(keys, term) {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < term) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
