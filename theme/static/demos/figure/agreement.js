// Whether a run's modes agree (`data-agree`), and the line under the results that says so: the
// definition's own rule, or by default every mode's total being the same.

import { element } from "../dom.js";

const count = new Intl.NumberFormat("en");

/** The line under the results that says whether the modes agree. */
export class AgreementLine {
  #definition;

  constructor(definition) {
    this.#definition = definition;
    this.element = element("p", { class: "demo-agreement", "aria-live": "polite" });
  }

  get text() {
    return this.element.textContent;
  }

  clear() {
    this.element.textContent = "";
  }

  /** Says whether `results` (Map mode → result) of a run with `params` agree; returns whether they do. */
  show(results, params) {
    const { agree, text } = agreementOf(this.#definition, results, params);
    this.element.classList.toggle("demo-disagree", !agree);
    this.element.textContent = text;
    return agree;
  }
}

/** { agree, text } for `results` (Map mode → result) of a run with `params`. */
function agreementOf(definition, results, params) {
  return definition.agreement ? definition.agreement(results, params) : sameTotals(results, definition.resultNoun);
}

/** The default rule: every mode's total is the same. */
function sameTotals(results, noun = "") {
  const totals = new Set([...results.values()].map((result) => result.total));
  const agree = totals.size === 1;
  if (agree) {
    const [total] = totals;
    const modes = results.size === 1 ? "The mode that ran found" : `All ${results.size} modes agree:`;
    return { agree, text: `${modes} ${count.format(total)}${noun ? ` ${noun}` : ""}` };
  }
  const each = [...results].map(([mode, result]) => `${mode} ${count.format(result.total)}`).join(", ");
  return { agree, text: `Modes disagree: ${each}` };
}
