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

/**
 * The rule most demos keep: every mode's total is the same. `says(which, total)` words the
 * agreement, `which` being "The mode that ran" or "All N modes"; `differ` begins the line that
 * lists each mode's total when they are not.
 */
export function totalsAgree(results, says, { differ = "Modes disagree", format = (total) => count.format(total) } = {}) {
  const totals = new Set([...results.values()].map((result) => result.total));
  if (totals.size === 1) {
    const [total] = totals;
    return { agree: true, text: says(results.size === 1 ? "The mode that ran" : `All ${results.size} modes`, total) };
  }
  const each = [...results].map(([mode, result]) => `${mode} ${format(result.total)}`).join(", ");
  return { agree: false, text: `${differ}: ${each}` };
}

/** The default rule: every mode's total is the same, said as the number found. */
function sameTotals(results, noun = "") {
  const said = (which, total) =>
    `${which === "The mode that ran" ? "The mode that ran found" : `${which} agree:`} ${count.format(total)}${noun ? ` ${noun}` : ""}`;
  return totalsAgree(results, said);
}
