// A demo's bar chart of wall times: a bar per mode, as long as its time against the slowest
// mode's, with the time beside it; its label says every time in words for screen readers.

import { formatMs } from "../charts/format.js";
import { element } from "../dom.js";

export class WallTimeChart {
  #bars = new Map();

  /** A bar for each of `modes`, empty until `draw`. */
  constructor(modes) {
    this.element = element("div", { class: "demo-chart", role: "img", "aria-label": "Wall time per mode: not run yet" });
    for (const mode of modes) {
      const bar = element("span", { class: "demo-bar" });
      const value = element("span", { class: "demo-bar-value" });
      // No data-mode here: that attribute marks the results table's rows only.
      const row = element("div", { class: `demo-bar-row demo-mode-${mode}` },
        element("span", { class: "demo-bar-label" }, mode),
        element("span", { class: "demo-bar-track" }, bar),
        value);
      this.element.append(row);
      this.#bars.set(mode, { row, bar, value });
    }
  }

  /** Hides the bar of a mode that cannot run here. */
  hide(mode, hidden) {
    this.#bars.get(mode)?.row.toggleAttribute("hidden", hidden);
  }

  /** Draws `results` (Map mode → result with `ms`); modes without a result get an empty bar. */
  draw(results) {
    const slowest = Math.max(0, ...[...results.values()].map((result) => result.ms));
    for (const [mode, { bar, value }] of this.#bars) {
      const result = results.get(mode);
      bar.style.setProperty("--share", result && slowest > 0 ? String(result.ms / slowest) : "0");
      value.textContent = result ? formatMs(result.ms) : "";
    }
    const summary = [...results].map(([mode, result]) => `${mode} ${formatMs(result.ms)}`).join(", ");
    this.element.setAttribute("aria-label", `Wall time per mode: ${summary || "not run yet"}`);
  }
}

/** What the wall times of `definition`'s modes include, for the note under the figure. */
export function timingNote(definition) {
  // A mode that starts workers of its own for each run counts their start-up in its time.
  return Object.values(definition.modes).some((mode) => mode.uses === "own")
    ? "Wall times exclude loading the WebAssembly, which happens once. Modes that start their own workers for each task count that start-up in their time; the others' workers are started once and kept between runs."
    : "Wall times exclude starting the workers and loading the WebAssembly, which happens once and is kept between runs.";
}
