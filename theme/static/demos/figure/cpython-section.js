// "Compare with CPython": the reader runs the demo's Python twin with `--json --trace` on their
// own machine and pastes what it prints (or chooses, or drops, the file it was saved to); the
// figure then shows CPython's rows beside the browser's, CPython's timelines under the
// browser's on one time scale, and what differs, in plain words (./cpython-trace.js reads the
// output and finds the differences). Offered for the demos whose twin prints a trace.
//
// DOM contract:
//   section.demo-cpython[data-cpython]      "empty", "loaded" or "invalid"
//   [data-cpython-input]                    the textarea to paste into
//   [data-cpython-file]                     <input type=file>; dropping a file anywhere on the section works too
//   [data-cpython-compare]                  the button that reads the textarea
//   [data-cpython-message]                  why the input cannot be shown (role=alert), hidden when it can
//   tr[data-cpython-mode=<mode>]            a row per CPython mode: data-ms, data-workers, data-result,
//                                           and data-browser-ms once the browser's run has one
//   [data-cpython-timelines]                CPython's timelines, inside the figure's Timeline section: one
//                                           .demo-timeline per mode (data-timeline-mode, data-lanes)
//   [data-difference][data-kind=<kind>]     one sentence per difference: gil, parallel, overlap,
//                                           process-start, speed, params (see ./cpython-trace.js)

import { Timelines } from "../charts/timeline.js";
import { formatMs } from "../charts/format.js";
import { element } from "../dom.js";
import { TRACED_DEMOS, cpythonLaneName, cpythonRuns, cpythonTaskName, differences, readCPythonOutput, traceCommand } from "./cpython-trace.js";

/**
 * Adds the section to the figure `root` of the demo `spec` (after its Timeline section) when
 * the demo's twin prints a trace; `timelines` is the Timeline section's (./timeline-section.js),
 * `params()` the figure's current parameters. Returns the section, or null.
 */
export function cpythonSection(root, { spec, definition, timelines, params }) {
  const twin = root.querySelector(":scope > details.demo-python");
  const timelineSection = root.querySelector(".demo-timeline-section");
  if (!twin || !timelineSection || !TRACED_DEMOS.includes(spec.name)) return null;
  const twinCommand = twin.querySelector(".demo-python-command code");
  if (!twinCommand) return null;
  return new CPythonSection(root, { spec, definition, timelines, params, twinCommand, timelineSection });
}

class CPythonSection {
  #root;
  #spec;
  #definition;
  #params;
  /** The twin's command line as "The same in Python" shows it (./python-twin.js keeps it current). */
  #twinCommand;
  #output = null;
  #browser = null;
  #parts;
  /** The figure's timelines (./timeline-section.js), and CPython's, drawn on their scale. */
  #timelines;
  #cpythonTimelines;

  constructor(root, { spec, definition, timelines, params, twinCommand, timelineSection }) {
    this.#root = root;
    this.#timelines = timelines;
    this.#spec = spec;
    this.#definition = definition;
    this.#params = params;
    this.#twinCommand = twinCommand;
    this.#parts = this.#build();
    timelineSection.append(this.#parts.timelineBlock);
    timelineSection.after(this.#parts.section);
    this.#cpythonTimelines = new Timelines(this.#parts.timelineBox, this.#parts.timelineDetails, {
      otherSpan: () => timelines.span,
      taskName: cpythonTaskName(spec.name, definition.taskName),
      kindNames: definition.kindNames,
      taskNameOf: () => cpythonTaskName(spec.name, definition.taskName),
      describe: (run, event) => (event.cpu === null ? "in CPython" : `in CPython, its thread computing for ${formatMs(event.cpu)} of it`),
      laneName: (run, lane) => cpythonLaneName(run.mode, lane),
    });
    timelines.alsoOnScale(() => this.#cpythonTimelines.span);
    root.addEventListener("demo-run", (event) => {
      this.#browser = event.detail.results;
      this.#show();
    });
  }

  /** The command that prints what this section reads, for the figure's current parameters. */
  #command() {
    return traceCommand(this.#twinCommand.textContent);
  }

  #build() {
    const input = element("textarea", {
      class: "demo-cpython-input", "data-cpython-input": "", rows: "4", spellcheck: "false",
      "aria-label": "The twin's output (JSON)", placeholder: '{"demo": …, "trace": […]}',
    });
    const file = element("input", { type: "file", accept: ".json,application/json,text/plain", "data-cpython-file": "", "aria-label": "Choose the twin's output file" });
    const compare = element("button", { type: "button", "data-cpython-compare": "" }, "Compare");
    const clear = element("button", { type: "button", "data-cpython-clear": "", hidden: "" }, "Clear");
    const command = element("code", { class: "demo-cpython-command" });
    const message = element("p", { class: "demo-cpython-message", role: "alert", "data-cpython-message": "", hidden: "" });
    const differencesList = element("ul", { class: "demo-cpython-differences", "aria-live": "polite" });
    const table = element("table", { class: "demo-cpython-table", hidden: "" });
    const section = element("details", { class: "demo-cpython", "data-cpython": "empty" },
      element("summary", {}, "Compare with CPython"),
      element("p", { class: "demo-hint" }, "Run the same demo in CPython on your machine, then paste what it prints here, or choose or drop the file you saved it to:"),
      element("pre", { class: "demo-cpython-run" }, command),
      element("div", { class: "demo-cpython-drop" }, input,
        element("div", { class: "demo-cpython-tools" }, compare, element("label", { class: "demo-cpython-file" }, "or choose a file: ", file), clear)),
      message, table, differencesList);
    const timelineLabel = element("p", { class: "demo-cpython-label" });
    const timelineBox = element("div", { class: "demo-timelines demo-timelines-cpython", "data-cpython-timelines": "" });
    const timelineDetails = element("p", { class: "demo-details", "aria-live": "polite" });
    const timelineBlock = element("div", { class: "demo-cpython-block", hidden: "" }, timelineLabel, timelineBox, timelineDetails);
    this.#listen({ section, command, input, file, compare, clear });
    return { section, input, clear, message, table, differencesList, timelineBlock, timelineLabel, timelineBox, timelineDetails };
  }

  /** What the section's controls do: follow the twin's command, read what is pasted, chosen or dropped. */
  #listen({ section, command, input, file, compare, clear }) {
    // The controls' own listeners update the twin's command first; this follows it.
    const follow = () => { command.textContent = this.#command(); };
    section.addEventListener("toggle", follow);
    this.#root.addEventListener("input", follow);
    this.#root.addEventListener("change", follow);
    follow();
    compare.addEventListener("click", () => this.#read(input.value));
    clear.addEventListener("click", () => {
      input.value = "";
      file.value = "";
      this.#output = null;
      section.dataset.cpython = "empty";
      this.#say(null);
      this.#show();
    });
    file.addEventListener("change", () => this.#readFile(file.files[0]));
    section.addEventListener("dragover", (event) => {
      event.preventDefault();
      section.classList.add("demo-cpython-dragging");
    });
    section.addEventListener("dragleave", () => section.classList.remove("demo-cpython-dragging"));
    section.addEventListener("drop", (event) => {
      event.preventDefault();
      section.classList.remove("demo-cpython-dragging");
      const dropped = event.dataTransfer?.files?.[0];
      if (dropped) this.#readFile(dropped);
      else this.#read(event.dataTransfer?.getData("text") ?? "");
    });
  }

  async #readFile(file) {
    if (!file) return;
    let text;
    try {
      text = await file.text();
    } catch (error) {
      this.#reject(`The file ${file.name} could not be read (${error.message}).`);
      return;
    }
    this.#parts.input.value = text;
    this.#read(text);
  }

  /** Reads `text` as the twin's output: shows it, or says what is wrong (what was shown stays). */
  #read(text) {
    const { output, error } = readCPythonOutput(text, {
      demo: this.#spec.name, modes: this.#spec.modes.map((mode) => mode.name), command: this.#twinCommand.textContent,
    });
    if (error) {
      this.#reject(error);
      return;
    }
    this.#output = output;
    this.#parts.section.dataset.cpython = "loaded";
    this.#say(null);
    this.#show();
  }

  #reject(text) {
    if (!this.#output) this.#parts.section.dataset.cpython = "invalid";
    this.#say(this.#output ? `${text} The comparison shown is the last one that could be read.` : text);
  }

  #say(text) {
    this.#parts.message.hidden = text === null;
    this.#parts.message.textContent = text ?? "";
  }

  /** Draws the rows, timelines and differences for the output and the browser's last run. */
  #show() {
    const output = this.#output;
    const { table, differencesList, timelineBlock, timelineLabel, clear } = this.#parts;
    clear.hidden = output === null;
    table.hidden = output === null;
    timelineBlock.hidden = output === null;
    differencesList.replaceChildren();
    if (output === null) {
      table.replaceChildren();
      this.#cpythonTimelines.show([]);
      this.#timelines.redraw();
      return;
    }
    this.#fillTable(output);
    const python = output.python ? `CPython ${output.python}` : "CPython";
    timelineLabel.textContent = `${python} on your machine, on the same time scale as the browser's run above`;
    this.#cpythonTimelines.show(cpythonRuns(output));
    this.#timelines.redraw();
    for (const { kind, text } of differences(output, this.#browser, this.#params(), cpythonTaskName(this.#spec.name, this.#definition.taskName))) {
      differencesList.append(element("li", { "data-difference": "", "data-kind": kind }, text));
    }
  }

  #fillTable(output) {
    const caption = element("caption", {}, `Wall times: this browser beside ${output.python ? `CPython ${output.python}` : "CPython"} on your machine`);
    const head = element("thead", {}, element("tr", {},
      element("th", { scope: "col" }, "mode"),
      element("th", { scope: "col" }, "browser"),
      element("th", { scope: "col" }, "CPython")));
    const body = element("tbody");
    for (const row of output.rows) {
      const browserMs = this.#browser?.[row.mode]?.ms;
      const tr = element("tr", { "data-cpython-mode": row.mode, class: `demo-mode-${row.mode}` },
        element("th", { scope: "row" }, row.mode),
        element("td", {}, browserMs === undefined ? "not run here" : formatMs(browserMs)),
        element("td", {}, row.ms === null ? row.note ?? "not run" : formatMs(row.ms)));
      if (row.ms !== null) tr.dataset.ms = String(row.ms);
      if (row.workers !== null) tr.dataset.workers = String(row.workers);
      if (row.result !== null) tr.dataset.result = String(row.result);
      // As the results table's data-ms: to the microsecond.
      if (browserMs !== undefined) tr.dataset.browserMs = browserMs.toFixed(3);
      body.append(tr);
    }
    this.#parts.table.replaceChildren(caption, head, body);
  }
}
