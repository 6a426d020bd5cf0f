// The reader's tally of predictions in this book: how many answers were scored and how many were
// right, kept in the browser's localStorage under a key of the book's own (its root address and
// title), so two books on one site keep two tallies. Nothing is sent anywhere.
//
// Where localStorage is missing or refuses (private windows, storage turned off, a full quota)
// the tally lives in this page only: `stored` is false and `trouble` says why, in plain words.
// Every figure's tally on the page hears of a change through the `predict-tally` event on
// `document` (its detail the new tally and its `key`).

/** The prefix of every tally's key. */
export const TALLY_PREFIX = "concurrency-lab.predictions:";

/** The tally kept for this page while localStorage is not there. */
let pageOnly = { right: 0, total: 0 };

/** This book's key: its root's path and title, from the page's title link (the site root). */
export function tallyKey(doc = document) {
  const link = doc.querySelector("a.book-title");
  const root = link ? new URL(link.getAttribute("href") ?? "", doc.baseURI) : new URL(".", doc.baseURI);
  const path = root.pathname.replace(/[^/]*$/, "");
  const title = link?.textContent.trim() ?? "";
  return `${TALLY_PREFIX}${path}:${title}`;
}

/** `{ right, total }` from stored text, or zeros when it is missing or not a tally. */
export function parseTally(text) {
  try {
    const value = JSON.parse(text ?? "null");
    const ok = (n) => Number.isSafeInteger(n) && n >= 0;
    if (value && ok(value.right) && ok(value.total) && value.right <= value.total) return { right: value.right, total: value.total };
  } catch {
    // Not JSON: start again.
  }
  return { right: 0, total: 0 };
}

/** The browser's localStorage, or the reason it cannot be used. */
function storage() {
  try {
    const store = globalThis.localStorage;
    if (!store) return { trouble: "this browser offers no localStorage" };
    return { store };
  } catch (error) {
    return { trouble: `this browser refuses this page its storage (${error?.name ?? "an error"}), as private windows and strict settings do` };
  }
}

/** The tally now: `{ right, total, stored, trouble }`. */
export function readTally(key = tallyKey()) {
  const { store, trouble } = storage();
  if (!store) return { ...pageOnly, stored: false, trouble };
  try {
    return { ...parseTally(store.getItem(key)), stored: true, trouble: null };
  } catch (error) {
    return { ...pageOnly, stored: false, trouble: `this browser would not read its storage (${error?.name ?? "an error"})` };
  }
}

/** Adds `scored` answers, `right` of them right, to the tally; returns the new tally. */
export function addToTally(scored, right, key = tallyKey()) {
  if (scored <= 0) return readTally(key);
  const now = readTally(key);
  const next = { right: now.right + right, total: now.total + scored };
  let kept = { ...next, stored: false, trouble: now.trouble };
  if (now.stored) {
    try {
      globalThis.localStorage.setItem(key, JSON.stringify({ right: next.right, total: next.total }));
      kept = { ...next, stored: true, trouble: null };
    } catch (error) {
      kept.trouble = `this browser would not save to its storage (${error?.name ?? "an error"}: full, or turned off)`;
    }
  }
  if (!kept.stored) pageOnly = { right: next.right, total: next.total };
  document.dispatchEvent(new CustomEvent("predict-tally", { detail: { ...kept, key } }));
  return kept;
}

/** The tally in words: "Your predictions in this book: 3 of 5 right." and, when not kept, why. */
export function describeTally({ right, total, stored, trouble }) {
  const counted = total === 0 ? "none scored yet" : `${right} of ${total} right`;
  if (stored) return `Your predictions in this book: ${counted}.`;
  return `Your predictions on this page: ${counted}. The tally cannot be kept for the whole book: ${trouble}.`;
}
