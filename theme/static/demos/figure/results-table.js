// A demo's results table: a row per mode (`data-mode`) with its wall time, speed-up, workers,
// result and the definition's own columns, each number also a `data-*` attribute of the row (the
// page's DOM contract: `data-status`, `data-ms`, `data-result`, `data-workers`, `data-note`, …).
// A mode that cannot run here, or declined these parameters, says why in place of its numbers.

import { formatMs } from "../charts/format.js";
import { element } from "../dom.js";

const count = new Intl.NumberFormat("en");
const tenth = new Intl.NumberFormat("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/** The row attributes a run sets (besides the definition's own columns). */
const ROW_ATTRIBUTES = ["data-ms", "data-result", "data-workers", "data-lanes", "data-expected", "data-lost", "data-refused"];

/**
 * The definition's extra columns: { heading, about?, attribute, value(result), format(value) }.
 * A column without a heading is not shown in the table: only its row attribute is set (and its
 * value exported as JSON), for numbers a demo's own figure already shows.
 */
export function columnsOf(definition) {
  return definition.columns ?? [];
}

/** The extra columns the table shows. */
export function shownColumnsOf(definition) {
  return columnsOf(definition).filter((column) => column.heading);
}

/** What a row shows as its result: the definition's own words, else the total. */
export function shownResult(definition, result, params) {
  return definition.formatResult?.(result, params) ?? count.format(result.total);
}

export class ResultsTable {
  #definition;
  #rows = new Map();

  /** The table for `modes` of the demo `spec`, as `definition` describes its results. */
  constructor(spec, definition, modes) {
    this.#definition = definition;
    const table = element("table", { class: "demo-results" });
    table.append(this.#head());
    const body = element("tbody");
    for (const mode of modes) {
      const about = spec.modes.find((entry) => entry.name === mode)?.about ?? "";
      const row = element("tr", { "data-mode": mode, class: `demo-mode-${mode}` },
        element("th", { scope: "row" },
          element("span", { class: "demo-mode-name" }, mode),
          element("span", { class: "demo-mode-about" }, about)));
      body.append(row);
      this.#rows.set(mode, row);
    }
    table.append(body);
    if (this.#shown.length > 0) table.classList.add("demo-results-wide");
    this.element = element("div", { class: "demo-table-wrap" }, table);
  }

  /** The row's `data-status` ("idle" when it has none yet). */
  status(mode) {
    return this.#rows.get(mode)?.dataset.status ?? "idle";
  }

  /** Every mode whose row says `status`. */
  modesWith(status) {
    return [...this.#rows].filter(([, row]) => row.dataset.status === status).map(([mode]) => mode);
  }

  /**
   * Shows whether `mode` can run here: `reason` why not (or null), and `note` (or null), how it
   * runs in this browser (`data-note`), under the mode's name.
   */
  showAvailability(mode, reason, note) {
    const row = this.#rows.get(mode);
    this.#showNote(row, note);
    const wasUnavailable = row.dataset.status === "unavailable";
    if (reason && (!wasUnavailable || row.querySelector(".demo-unavailable")?.textContent !== reason)) {
      this.#replaceCells(row, "unavailable", "demo-unavailable", reason);
    } else if (!reason && (wasUnavailable || !row.querySelector('td[data-cell="ms"]'))) {
      for (const attribute of this.#attributes) row.removeAttribute(attribute);
      row.dataset.status = "idle";
      this.#numberCells(row);
    }
  }

  /** Marks the row of `mode` as waiting, running, idle, stopped or failed. */
  mark(mode, status) {
    const row = this.#rows.get(mode);
    if (!row || row.dataset.status === "unavailable") return;
    row.dataset.status = status;
    if (status === "waiting" || status === "running") {
      for (const attribute of this.#attributes) row.removeAttribute(attribute);
      // A row that showed a refusal gets its number cells back.
      if (!row.querySelector('td[data-cell="ms"]')) this.#numberCells(row);
      for (const cell of row.querySelectorAll("td")) cell.textContent = status === "running" ? "…" : "—";
    }
    if (status === "error" || status === "stopped") {
      const ms = row.querySelector('[data-cell="ms"]');
      if (ms) ms.textContent = status;
    }
  }

  /** Shows what `mode` found with `params`, in the cells and the row's attributes. */
  showResult(mode, result, params) {
    const row = this.#rows.get(mode);
    if (!row) return;
    row.dataset.status = "done";
    row.dataset.ms = result.ms.toFixed(3);
    row.dataset.result = String(result.total);
    row.dataset.workers = String(result.workers);
    row.dataset.lanes = String(new Set(result.events.filter((e) => e.kind !== "hold").map((event) => event.lane)).size);
    if (typeof result.extra?.expected === "number") {
      row.dataset.expected = String(result.extra.expected);
      row.dataset.lost = String(result.extra.expected - result.total);
    }
    const cells = Object.fromEntries([...row.querySelectorAll("td")].map((cell) => [cell.dataset.cell, cell]));
    cells.ms.textContent = formatMs(result.ms);
    cells.workers.textContent = String(result.workers);
    cells.result.textContent = shownResult(this.#definition, result, params);
    for (const column of columnsOf(this.#definition)) {
      const value = column.value(result);
      if (value === null || value === undefined) {
        // Nothing to show for this run: a dash, not the placeholder of a row still running.
        if (cells[column.attribute]) cells[column.attribute].textContent = "—";
        continue;
      }
      row.setAttribute(`data-${column.attribute}`, String(value));
      if (cells[column.attribute]) cells[column.attribute].textContent = column.format(value);
    }
  }

  /** A mode that declined to run these parameters: its row says why instead of showing numbers. */
  showRefusal(mode, reason) {
    const row = this.#rows.get(mode);
    if (!row) return;
    this.#replaceCells(row, "refused", "demo-refused", reason);
    row.dataset.refused = reason;
  }

  /** Shows each mode's speed-up (Map mode → times faster than the baseline, or null). */
  showSpeedups(speedups) {
    for (const [mode, speedup] of speedups) {
      const cell = this.#rows.get(mode)?.querySelector('[data-cell="speedup"]');
      if (cell) cell.textContent = speedup === null ? "—" : `${tenth.format(speedup)}×`;
    }
  }

  #head() {
    return element("thead", {}, element("tr", {},
      element("th", { scope: "col" }, "Mode"),
      element("th", { scope: "col", class: "demo-num" }, "Wall time"),
      element("th", { scope: "col", class: "demo-num" }, "Speed-up"),
      element("th", { scope: "col", class: "demo-num" }, "Workers"),
      element("th", { scope: "col", class: "demo-num" }, this.#definition.resultHeading),
      ...this.#shown.map((column) => element("th", { scope: "col", class: "demo-num", ...(column.about ? { title: column.about } : {}) }, column.heading)),
    ));
  }

  #showNote(row, note) {
    const shown = row.querySelector(".demo-mode-note");
    if (note === null) {
      shown?.remove();
      row.removeAttribute("data-note");
      return;
    }
    row.dataset.note = note;
    if (shown) shown.textContent = note;
    else row.querySelector("th").append(element("span", { class: "demo-mode-note" }, note));
  }

  /** Gives `row` one cell across the table saying `text` (why it has no numbers), as `status`. */
  #replaceCells(row, status, className, text) {
    row.querySelectorAll("td").forEach((cell) => cell.remove());
    for (const attribute of this.#attributes) row.removeAttribute(attribute);
    row.dataset.status = status;
    row.append(element("td", { colspan: String(4 + this.#shown.length), class: className }, text));
  }

  /** Gives `row` its number cells (the four every demo has and the definition's own), empty. */
  #numberCells(row) {
    row.querySelectorAll("td").forEach((cell) => cell.remove());
    const cells = [["ms", "Wall time"], ["speedup", "Speed-up"], ["workers", "Workers"], ["result", this.#definition.resultHeading],
      ...this.#shown.map((column) => [column.attribute, column.heading])];
    // Each cell carries its column's name: on a phone the table becomes a card per mode, each
    // number with its name beside it (demos.css), where the column headings are out of sight.
    for (const [cell, label] of cells) {
      row.append(element("td", { class: "demo-num", "data-cell": cell, "data-label": label }, "—"));
    }
  }

  get #shown() {
    return shownColumnsOf(this.#definition);
  }

  get #attributes() {
    return [...ROW_ATTRIBUTES, ...columnsOf(this.#definition).map((column) => `data-${column.attribute}`)];
  }
}
