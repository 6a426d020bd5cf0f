// A demo's controls: one field per parameter (bounds and help from the catalogue's `data-spec`),
// Run and Stop, the line saying what the demo is doing, and the message shown when a value is
// refused. The values are read back through the same checks as the page's address.

import { check, describe } from "./params.js";
import { element } from "../dom.js";

export class Controls {
  #spec;
  #shows;
  #inputs = new Map();
  #runButton;
  #stopButton;
  #sweepButton = null;
  #state;

  /**
   * The form for `spec`'s parameters, holding `params`. `shows(name, params)` (a definition's
   * own) says whether a control matters for the others' values. `onRun` is called when the
   * reader presses Run, `onStop` Stop, and `onInput` on every change. With `onSweep`, a
   * "Sweep workers 1 → N" button calls it (see ./sweep-section.js).
   */
  constructor(spec, params, { shows, onRun, onStop, onInput, onSweep = null }) {
    this.#spec = spec;
    this.#shows = shows;
    this.form = element("form", { class: "demo-controls", novalidate: "" });
    for (const param of spec.params) {
      if (param.kind === "choices") continue;
      const input = control(param, params[param.name]);
      this.#inputs.set(param.name, input);
      this.form.append(field(param, input));
    }
    this.#runButton = element("button", { type: "submit", class: "demo-run" }, "Run");
    this.#stopButton = element("button", { type: "button", class: "demo-stop", disabled: "" }, "Stop");
    this.#state = element("span", { class: "demo-state", "aria-live": "polite" }, "Not run yet.");
    const buttons = element("span", { class: "demo-buttons" }, this.#runButton, this.#stopButton, this.#state);
    if (onSweep) {
      this.#sweepButton = element("button", { type: "button", class: "demo-sweep-button", "data-sweep-button": "workers" }, "Sweep workers");
      this.#sweepButton.addEventListener("click", onSweep);
      this.#stopButton.after(this.#sweepButton);
    }
    this.form.append(buttons);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      onRun();
    });
    this.form.addEventListener("input", onInput);
    this.#stopButton.addEventListener("click", onStop);
    /** Why the values cannot run, when one is refused. */
    this.invalid = element("p", { class: "demo-invalid", role: "alert", hidden: "" });
  }

  /** Run is pressed: only Stop can be, until `done()`. */
  running() {
    this.#runButton.disabled = true;
    this.#stopButton.disabled = false;
    if (this.#sweepButton) this.#sweepButton.disabled = true;
  }

  done() {
    this.#runButton.disabled = false;
    this.#stopButton.disabled = true;
    if (this.#sweepButton) this.#sweepButton.disabled = false;
  }

  /** Shows the sweep button (where it is one) or hides it. */
  offerSweep(offered) {
    if (this.#sweepButton) this.#sweepButton.hidden = !offered;
  }

  /** Names the sweep's last worker count on its button: "Sweep workers 1 → 4". */
  sweepTo(top) {
    if (this.#sweepButton) this.#sweepButton.textContent = `Sweep workers 1 → ${top}`;
  }

  /** Says what the demo is doing ("Running threads…", "Done."). */
  say(text) {
    this.#state.textContent = text;
  }

  /** Hides the controls that do not matter for the other controls' current values (over `params`). */
  showRelevant(params) {
    if (!this.#shows) return;
    const current = { ...params };
    for (const param of this.#spec.params) {
      const input = this.#inputs.get(param.name);
      if (!input) continue;
      const checked = check(param, param.kind === "switch" ? input.checked : input.value);
      if (checked.ok) current[param.name] = checked.value;
    }
    for (const [name, input] of this.#inputs) input.closest("label").hidden = !this.#shows(name, current);
  }

  /**
   * `params` with the controls' values if they are all allowed; otherwise shows why not (unless
   * `quiet`, and nothing is shown yet) and returns null.
   */
  read(params, { quiet = false } = {}) {
    const values = { ...params };
    const problems = [];
    for (const param of this.#spec.params) {
      const input = this.#inputs.get(param.name);
      if (!input || input.closest("label").hidden) continue;
      const checked = check(param, param.kind === "switch" ? input.checked : input.value);
      input.toggleAttribute("aria-invalid", !checked.ok);
      if (checked.ok) values[param.name] = checked.value;
      else problems.push(`${param.label} (${param.name}) must be ${describe(param)}`);
    }
    if (problems.length === 0) {
      this.invalid.hidden = true;
      this.invalid.textContent = "";
      return values;
    }
    if (!quiet || !this.invalid.hidden) {
      this.invalid.textContent = `Not run: ${problems.join("; ")}.`;
      this.invalid.hidden = false;
    }
    return null;
  }
}

/** The labelled field around `input`: a switch has its label after it. */
function field(param, input) {
  const label = element("span", {}, param.label);
  return param.kind === "switch"
    ? element("label", { class: `demo-field demo-switch demo-field-${param.name}`, title: param.help }, input, label)
    : element("label", { class: `demo-field demo-field-${param.name}`, title: param.help }, label, input);
}

/** The control for `param`, holding `value`. */
function control(param, value) {
  switch (param.kind) {
    case "int":
      return element("input", {
        type: "number", name: param.name, min: String(param.min), max: String(param.max), step: "1",
        value: String(value), inputmode: "numeric", required: "",
      });
    case "choice": {
      const select = element("select", { name: param.name });
      for (const choice of param.allowed) select.append(element("option", { value: choice }, choice));
      select.value = value;
      return select;
    }
    case "switch": {
      const box = element("input", { type: "checkbox", name: param.name });
      box.checked = Boolean(value);
      return box;
    }
    default:
      throw new Error(`unknown kind of parameter ${JSON.stringify(param.kind)}`);
  }
}
