// Full-text search from the box in the top bar, loaded by ./box.js when the reader first focuses
// the box or types.
//
// Only what a query needs is fetched: search/meta.json, the shards of the term index that hold
// the words typed, and the headings and texts of the results shown (./index-files.js). The query
// is read into terms (./terms.js), the sections holding them ranked (./ranking.js), and shown in
// the panel under the box (./results-panel.js) with snippets of their text (./snippets.js).

import { endsInWord, indexTerms, queryTerms } from "./terms.js";
import { decode } from "./postings.js";
import { IndexFiles } from "./index-files.js";
import { search, useful } from "./ranking.js";
import { fillSnippet } from "./snippets.js";
import { ResultsPanel } from "./results-panel.js";

const RESULTS_AT_ONCE = 10;
/** Snippets are fetched once the reader pauses, not for every letter typed. */
const SNIPPET_DELAY_MS = 400;
// How long typing must pause before a search runs; longer while the word being typed is still
// short, since the next letter will most likely change everything.
const TYPING_PAUSE_MS = 150;
const SHORT_WORD_PAUSE_MS = 400;

/** The search box and its results. */
class SearchBox {
  #input;
  #panel;
  #index;
  /** Counts queries: whatever is still on its way for an older one is not shown. */
  #generation = 0;
  #current = { terms: [], results: [], shown: 0 };
  #timer = 0;

  constructor(input, panel, index) {
    this.#input = input;
    this.#panel = new ResultsPanel(input, panel);
    this.#index = index;
    input.addEventListener("focus", () => this.#focused());
    input.addEventListener("blur", () => document.documentElement.classList.remove("search-active"));
    input.addEventListener("input", () => this.#typed());
    input.addEventListener("keydown", (event) => this.#key(event));
    this.#panel.more.addEventListener("click", () => {
      this.#go(this.#panel.more);
      input.focus();
    });
    document.addEventListener("pointerdown", (event) => {
      if (!this.#panel.hidden && !this.#panel.holds(event.target)) this.#panel.close();
    });
    // This script arrives once the reader has focused the box, and may have typed already.
    if (document.activeElement === input) this.#focused();
  }

  #focused() {
    document.documentElement.classList.add("search-active");
    this.#index.loadMeta().catch(() => { /* reported when a query is run */ });
    if (!this.#input.value) return;
    if (this.#current.terms.length || this.#panel.state === "error") this.#panel.open();
    else this.#run();
  }

  #typed() {
    clearTimeout(this.#timer);
    // Whatever is still on its way for the previous text (results, snippets) is not wanted.
    this.#generation++;
    const text = this.#input.value;
    const terms = queryTerms(text);
    const last = terms[terms.length - 1];
    const short = last && !last.run && !last.prefix && endsInWord(text);
    this.#timer = setTimeout(() => this.#run(), short ? SHORT_WORD_PAUSE_MS : TYPING_PAUSE_MS);
  }

  #key(event) {
    const panel = this.#panel;
    const all = panel.options();
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (panel.hidden && all.length) panel.open();
        panel.setActive(panel.active + 1 >= all.length ? 0 : panel.active + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        panel.setActive(panel.active <= 0 ? -1 : panel.active - 1);
        break;
      case "Enter":
        if (panel.hidden || !all.length) return;
        event.preventDefault();
        this.#go(all[panel.active >= 0 ? panel.active : 0]);
        break;
      case "Escape":
        event.preventDefault();
        if (!panel.hidden) panel.close();
        else if (this.#input.value) {
          this.#input.value = "";
          this.#run();
        } else this.#input.blur();
        break;
    }
  }

  /** Runs the query in the box and shows its first results. */
  async #run() {
    const query = this.#input.value;
    let terms = queryTerms(query);
    const mine = ++this.#generation;
    const lone = terms.length === 1 && !terms[0].run && Array.from(terms[0].term).length < 2;
    if (!terms.length || lone) return this.#reset();
    const panel = this.#panel;
    panel.state = "searching";
    if (!panel.hasResults) {
      panel.say("Searching…");
      panel.open();
    }
    try {
      await this.#index.loadMeta();
      terms = useful(this.#index.meta, terms);
      const results = await search(this.#index, terms);
      if (mine !== this.#generation) return;
      this.#current = { terms, results, shown: 0 };
      panel.clear();
      panel.setActive(-1);
      panel.say(results.length
        ? `${results.length}${results.length === 1 ? " result" : " results"}`
        : `No results for “${query.trim()}”`);
      panel.query = query;
      panel.open();
      await this.#showMore(mine);
    } catch (e) {
      if (mine !== this.#generation) return;
      panel.clear();
      panel.say(`Search is unavailable: ${e && e.message ? e.message : "the index could not be loaded"}.`);
      panel.query = query;
      panel.state = "error";
      panel.open();
    }
  }

  /** An empty query (or a lone letter): nothing shown. */
  #reset() {
    this.#panel.clear();
    this.#current = { terms: [], results: [], shown: 0 };
    this.#panel.state = "idle";
    this.#panel.close();
  }

  /** Shows the next RESULTS_AT_ONCE results of the current query, then their snippets. */
  async #showMore(mine) {
    const current = this.#current;
    const from = current.shown;
    const slice = current.results.slice(from, from + RESULTS_AT_ONCE);
    const infos = await Promise.all(slice.map((r) => this.#index.describe(r.section)));
    if (mine !== this.#generation) return;
    const snippets = infos.map((info, k) => this.#panel.add(from + k, info, current.terms));
    current.shown = from + slice.length;
    this.#panel.offerMore(current.results.length - current.shown, RESULTS_AT_ONCE);
    if (from === 0) {
      await new Promise((resolve) => setTimeout(resolve, SNIPPET_DELAY_MS));
      if (mine !== this.#generation) return;
    }
    await Promise.all(slice.map((r, k) => this.#index.text(r.section).then((text) => {
      if (mine === this.#generation) fillSnippet(snippets[k], text, current.terms);
    })));
    if (mine === this.#generation) this.#panel.state = "done";
  }

  /** Follows a result, or shows more for the button. */
  #go(option) {
    if (option === this.#panel.more) {
      const next = this.#current.shown;
      this.#showMore(this.#generation).then(() => this.#panel.setActive(next), () => { this.#panel.more.hidden = true; });
      return;
    }
    this.#panel.close();
    window.location.assign(option.href);
  }
}

const input = document.getElementById("search-input");
const panel = document.getElementById("search-results");
if (input && panel && window.fetch) {
  // This file is static/search.<hash>/engine.js: the site's root is two folders up.
  const site = new URL("../../", import.meta.url);
  new SearchBox(input, panel, new IndexFiles(new URL("search/", site), site));
}

// The terms the index holds for a text, and the postings in a term's entry, read as the index
// is: lets the tests check that the browser and site-gen read the index alike.
window.bookSearch = { terms: indexTerms, postings: decode };
