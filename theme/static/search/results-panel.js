// The panel of results under the search box: a status line, a listbox of results (the box is its
// combobox: ↑/↓ move the active option, which `aria-activedescendant` names), and a button for
// more. Its `data-state` (idle, searching, done, error) and `data-query` say what it shows.

import { matches } from "./terms.js";
import { appendMarked } from "./snippets.js";

export class ResultsPanel {
  #input;
  #panel;
  #status;
  #listbox;
  /** The index of the active option (-1: none). */
  active = -1;

  /** The panel `panel` (the page's `#search-results`) of the search box `input`. */
  constructor(input, panel) {
    this.#input = input;
    this.#panel = panel;
    this.#status = element("p", { className: "search-status" });
    this.#status.setAttribute("role", "status");
    this.#listbox = element("div", { id: "search-listbox", className: "search-list" });
    this.#listbox.setAttribute("role", "listbox");
    this.#listbox.setAttribute("aria-label", "Search results");
    /** The button showing more results. */
    this.more = element("button", { type: "button", className: "search-more", id: "search-more", hidden: true });
    panel.append(this.#status, this.#listbox, this.more);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", this.#listbox.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-autocomplete", "list");
    this.#listbox.addEventListener("mousemove", (event) => {
      const option = event.target.closest && event.target.closest(".search-result");
      if (option) this.setActive(this.options().indexOf(option));
    });
  }

  get hidden() {
    return this.#panel.hidden;
  }

  /** Whether `node` is in the panel (or the box). */
  holds(node) {
    return (this.#input.closest(".search") || this.#input.parentNode).contains(node);
  }

  set state(state) {
    this.#panel.dataset.state = state;
  }

  get state() {
    return this.#panel.dataset.state;
  }

  set query(query) {
    this.#panel.dataset.query = query;
  }

  /** Whether any result is shown. */
  get hasResults() {
    return this.#listbox.children.length > 0;
  }

  open() {
    this.#panel.hidden = false;
    this.#input.setAttribute("aria-expanded", "true");
    document.documentElement.classList.add("search-open");
  }

  close() {
    this.#panel.hidden = true;
    this.#input.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("search-open");
    this.setActive(-1);
  }

  /** Says `text` in the status line. */
  say(text) {
    this.#status.textContent = text;
  }

  /** Removes every result (and the button for more). */
  clear() {
    this.#listbox.textContent = "";
    this.more.hidden = true;
  }

  /** The options the arrow keys move between: the results, then the button for more. */
  options() {
    const list = [...this.#listbox.children];
    if (!this.more.hidden) list.push(this.more);
    return list;
  }

  /** Makes option `i` the active one (-1: none), scrolled into view. */
  setActive(i) {
    const all = this.options();
    this.active = all.length ? Math.max(-1, Math.min(i, all.length - 1)) : -1;
    all.forEach((el, k) => {
      el.classList.toggle("active", k === this.active);
      if (el.getAttribute("role") === "option") el.setAttribute("aria-selected", String(k === this.active));
    });
    if (this.active >= 0) {
      this.#input.setAttribute("aria-activedescendant", all[this.active].id);
      all[this.active].scrollIntoView({ block: "nearest" });
    } else {
      this.#input.removeAttribute("aria-activedescendant");
    }
  }

  /**
   * Adds result number `n`, the section `info` ({ url, title, heading }) with the query's `terms`
   * marked; returns the element its snippet goes into.
   */
  add(n, info, terms) {
    const a = element("a", { className: "search-result", id: `search-result-${n}`, href: info.url, tabIndex: -1 });
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    a.appendChild(marked("search-result-title", info.title, terms));
    if (info.heading) a.appendChild(marked("search-result-heading", info.heading, terms));
    const snippet = element("span", { className: "search-result-snippet" });
    a.appendChild(snippet);
    this.#listbox.appendChild(a);
    return snippet;
  }

  /** Offers `rest` more results (none: no button). */
  offerMore(rest, atOnce) {
    this.more.hidden = rest <= 0;
    this.more.textContent = `Show ${Math.min(rest, atOnce)} more of ${rest}`;
  }
}

/** A new element with `properties` set. */
function element(tag, properties) {
  return Object.assign(document.createElement(tag), properties);
}

/** A span of class `className` holding `text` with the query's `terms` marked. */
function marked(className, text, terms) {
  const span = element("span", { className });
  appendMarked(span, text, matches(text, terms));
  return span;
}
