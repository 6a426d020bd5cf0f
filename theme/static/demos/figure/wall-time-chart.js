// A demo's bar chart of wall times: a bar per mode, as long as its time against the slowest
// mode's, with the time beside it; its label says every time in words for screen readers.

import { formatMs } from "../charts/format.js";
import { element } from "../dom.js";

export class WallTimeChart {
  #bars = new Map();
  /** A run shared by a link (./share-codec.js), drawn as lighter bars beside the reader's; or null. */
  #shared = null;
  #ghosts = new Map();
  #results = new Map();

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

  /**
   * Draws the shared run `shared` ({ machine, rows: [{ mode, ms }] }) as a "shared run" bar under
   * each of its modes' (`data-shared-mode`, `data-shared-ms`), on the same scale, with a caption
   * naming its machine. Without one, the chart is as it was.
   */
  showShared(shared) {
    this.#shared = shared;
    for (const { row } of this.#ghosts.values()) row.remove();
    this.#ghosts.clear();
    this.element.querySelector(".demo-bar-shared-caption")?.remove();
    if (shared) {
      for (const { mode, ms } of shared.rows) {
        const mine = this.#bars.get(mode);
        if (!mine || ms === null) continue;
        const bar = element("span", { class: "demo-bar demo-bar-ghost" });
        const value = element("span", { class: "demo-bar-value" }, formatMs(ms));
        const label = element("span", { class: "demo-bar-label" }, "shared");
        const row = element("div", { class: `demo-bar-row demo-bar-shared demo-mode-${mode}`, "data-shared-mode": mode, "data-shared-ms": String(ms) },
          label,
          element("span", { class: "demo-bar-track" }, bar),
          value);
        mine.row.after(row);
        this.#ghosts.set(mode, { row, bar, label, ms });
        this.#labelGhost(mode);
      }
      this.element.append(element("p", { class: "demo-bar-shared-caption" }, `Lighter, hatched bars: the shared run (${shared.machine}).`));
    }
    this.draw(this.#results);
  }

  /** Hides the bar of a mode that cannot run here. */
  hide(mode, hidden) {
    this.#bars.get(mode)?.row.toggleAttribute("hidden", hidden);
    this.#labelGhost(mode);
  }

  /** A shared run's bar says "shared" under its mode's bar, and its mode too where that is hidden. */
  #labelGhost(mode) {
    const ghost = this.#ghosts.get(mode);
    if (!ghost) return;
    const alone = this.#bars.get(mode).row.hasAttribute("hidden");
    ghost.label.textContent = alone ? `${mode} (shared)` : "shared";
  }

  /** Draws `results` (Map mode → result with `ms`); modes without a result get an empty bar. */
  draw(results) {
    this.#results = results;
    const ghosts = [...this.#ghosts.values()];
    const slowest = Math.max(0, ...[...results.values()].map((result) => result.ms), ...ghosts.map((ghost) => ghost.ms));
    for (const [mode, { bar, value }] of this.#bars) {
      const result = results.get(mode);
      bar.style.setProperty("--share", result && slowest > 0 ? String(result.ms / slowest) : "0");
      value.textContent = result ? formatMs(result.ms) : "";
    }
    for (const { bar, ms } of ghosts) bar.style.setProperty("--share", slowest > 0 ? String(ms / slowest) : "0");
    const summary = [...results].map(([mode, result]) => `${mode} ${formatMs(result.ms)}`).join(", ");
    const shared = ghosts.length === 0 ? ""
      : `; shared run: ${[...this.#ghosts].map(([mode, { ms }]) => `${mode} ${formatMs(ms)}`).join(", ")}`;
    this.element.setAttribute("aria-label", `Wall time per mode: ${summary || "not run yet"}${shared}`);
  }
}

/** What the wall times of `definition`'s modes include, for the note under the figure. */
export function timingNote(definition) {
  // A mode that starts workers of its own for each run counts their start-up in its time.
  return Object.values(definition.modes).some((mode) => mode.uses === "own")
    ? "Wall times exclude loading the WebAssembly, which happens once. Modes that start their own workers for each task count that start-up in their time; the others' workers are started once and kept between runs."
    : "Wall times exclude starting the workers and loading the WebAssembly, which happens once and is kept between runs.";
}
