// "Predict, then run": the questions a demo block's `[predict]` table asks (the figure's
// `data-predict-ask`, e.g. {"winner":true,"speedup":"threads"}), shown above the controls before
// the run; after the run, the reader's guess scored against this machine (./predict-score.js),
// why it came out so (./predict-explain.js), and the book's tally (./predict-tally.js). The reader
// may skip the questions: Run and `?autorun` work as ever, and a run without answers is "skipped".
// A scored prediction stays on show, its answers locked, until "Guess again".
//
// DOM contract, on the section `[data-predict]` (inside the figure):
//   data-asks                 the questions: "winner", "speedup" or "winner speedup"
//   data-speedup-mode         the mode whose speed-up is asked for (with "speedup")
//   data-predicted-winner     the mode the reader picked, at the run (absent: no pick)
//   data-predicted-speedup    the speed-up the reader guessed, at the run (absent: no guess)
//   data-prediction-result    after a run: right | wrong | skipped | unscored (see ./predict-score.js)
//   data-winner-result, data-speedup-result   each question's own result
//   data-measured-winner      the fastest mode of the run
//   data-measured-speedup     the asked mode's measured speed-up (absent: it did not run here)
//   data-score, data-scored   how many answers were right, of how many that counted
// its parts `[data-predict-score]` (the verdict), `[data-predict-explanation]` (why), and the
// tally `[data-predict-tally]` with `data-right`, `data-total` and `data-stored` ("true", or
// "false" where the browser keeps no storage: the tally is then this page's only, and says why).

import { element } from "../dom.js";
import { formatTimes, parseGuess, scorePrediction, LARGEST_GUESS } from "./predict-score.js";
import { explainSpeedup, explainWinner } from "./predict-explain.js";
import { addToTally, describeTally, readTally, tallyKey } from "./predict-tally.js";

/** Words for a result, in the verdict. */
const VERDICT = { right: "Right", wrong: "Not this time", skipped: "No guess this time", unscored: "Not scored" };

export class PredictSection {
  #root;
  #ask;
  #baseline;
  #key;
  #winner = null;
  #speedup = null;
  #answers = null;
  #locked = false;

  /** The questions of the figure `root` (its `data-predict-ask`), above its controls. */
  constructor(root) {
    this.#root = root;
    this.#ask = JSON.parse(root.dataset.predictAsk);
    const spec = JSON.parse(root.dataset.spec);
    this.#baseline = spec.baseline;
    this.#key = tallyKey();
    const modes = [...root.querySelectorAll("tr[data-mode]")].map((row) => row.dataset.mode);
    this.element = element("section", { class: "demo-predict", "data-predict": "", "aria-label": "Predict, then run" });
    this.element.dataset.asks = ["winner", "speedup"].filter((q) => this.#ask[q]).join(" ");
    this.element.append(element("p", { class: "demo-predict-lead" }, element("strong", {}, "Predict, then run."),
      " Guess first, then press Run to see what your machine says. You can also just run it."));
    const fields = element("div", { class: "demo-predict-fields" });
    if (this.#ask.winner) fields.append(this.#winnerField(modes));
    if (this.#ask.speedup) fields.append(this.#speedupField(this.#ask.speedup));
    this.verdict = element("p", { class: "demo-predict-score", "data-predict-score": "", role: "status" });
    this.explanation = element("p", { class: "demo-predict-why", "data-predict-explanation": "" });
    this.again = element("button", { type: "button", class: "demo-predict-again", hidden: "" }, "Guess again");
    this.again.addEventListener("click", () => this.#reset());
    this.tally = element("p", { class: "demo-predict-tally", "data-predict-tally": "" });
    this.element.append(fields, this.verdict, this.explanation, this.again, this.tally);
    this.verdict.hidden = this.explanation.hidden = true;
    this.#showTally(readTally(this.#key));
    fields.addEventListener("input", () => this.#showAnswers(this.#read()));
    document.addEventListener("predict-tally", ({ detail }) => {
      if (detail.key === this.#key) this.#showTally(detail);
    });
    const controls = root.querySelector(".demo-controls");
    if (controls) controls.before(this.element);
    else root.append(this.element);
    new MutationObserver(() => this.#statusChanged()).observe(root, { attributes: true, attributeFilter: ["data-status"] });
    root.addEventListener("demo-run", ({ detail }) => this.#score(detail));
  }

  #winnerField(modes) {
    this.#winner = element("select", { name: "predict-winner" },
      element("option", { value: "" }, "no guess"), ...modes.map((mode) => element("option", { value: mode }, mode)));
    return element("label", { class: "demo-field demo-predict-field" }, "Which mode will be fastest?", this.#winner);
  }

  #speedupField(mode) {
    this.element.dataset.speedupMode = mode;
    this.#speedup = element("input", { type: "text", name: "predict-speedup", inputmode: "decimal", placeholder: "e.g. 2.5", autocomplete: "off" });
    const times = element("span", { class: "demo-predict-times" }, "×");
    const label = element("label", { class: "demo-field demo-predict-field" },
      `How many times faster than ${this.#baseline} will ${mode} be?`, element("span", { class: "demo-predict-guess" }, this.#speedup, times));
    this.#speedup.addEventListener("input", () => this.#checkGuess());
    return label;
  }

  /** Marks a guess that is not a number the page can score, and says what would be. */
  #checkGuess() {
    const text = this.#speedup.value.trim();
    const bad = text !== "" && parseGuess(text) === null;
    this.#speedup.toggleAttribute("aria-invalid", bad);
    this.#speedup.title = bad ? `A number above 0 and up to ${LARGEST_GUESS}, such as 2 or 1.5` : "";
  }

  /** The answers as they are now: { winner, speedup } (null: not answered). */
  #read() {
    return {
      winner: this.#winner?.value || null,
      speedup: this.#speedup ? parseGuess(this.#speedup.value) : null,
    };
  }

  /** A run starts: the answers it scores are the ones given now. Other changes free the fields. */
  #statusChanged() {
    const running = this.#root.dataset.status === "running";
    if (running && this.#answers === null) this.#answers = this.#read();
    this.#enable(!running && !this.#locked);
    if (!running && !this.#locked) this.#answers = null;
  }

  #showAnswers({ winner, speedup }) {
    const data = this.element.dataset;
    if (winner) data.predictedWinner = winner;
    else delete data.predictedWinner;
    if (speedup !== null) data.predictedSpeedup = String(speedup);
    else delete data.predictedSpeedup;
  }

  #enable(on) {
    for (const field of [this.#winner, this.#speedup]) if (field) field.disabled = !on;
  }

  /** After a run (`detail` of `demo-run`): scores it, explains it and counts it, once per prediction. */
  #score(run) {
    if (this.#locked) return;
    const answers = this.#answers ?? this.#read();
    this.#answers = null;
    if (this.#root.dataset.status !== "done") {
      this.#say("The run did not finish, so there is nothing to score yet: your guess is kept for the next run.", "", null);
      return;
    }
    const score = scorePrediction(this.#ask, answers, run);
    const facts = this.#facts(run);
    const data = this.element.dataset;
    data.predictionResult = score.result;
    data.score = String(score.right);
    data.scored = String(score.scored);
    this.#showAnswers(answers);
    if (score.winner) {
      data.winnerResult = score.winner.result;
      if (score.winner.actual) data.measuredWinner = score.winner.actual;
    }
    if (score.speedup) {
      data.speedupResult = score.speedup.result;
      if (score.speedup.measured !== null) data.measuredSpeedup = score.speedup.measured.toFixed(3);
      else delete data.measuredSpeedup;
    }
    const why = [score.winner && explainWinner(score.winner, this.#unsaid(facts, score)), score.speedup && explainSpeedup(score.speedup, facts)].filter(Boolean);
    this.#say(this.#verdict(score), why.join(" "), score.result);
    if (score.scored > 0) {
      this.#locked = true;
      this.#enable(false);
      this.again.hidden = false;
      addToTally(score.scored, score.right, this.#key);
    }
  }

  /** What the explanations need to know about this run and this browser. */
  #facts(run) {
    const unavailable = {};
    for (const row of this.#root.querySelectorAll("tr[data-mode]")) {
      if (row.dataset.status === "unavailable") unavailable[row.dataset.mode] = row.querySelector(".demo-unavailable")?.textContent ?? "unavailable";
    }
    return {
      demo: this.#root.dataset.demo, job: run.job ?? {}, run,
      cores: Math.trunc(navigator.hardwareConcurrency) || 0, unavailable,
    };
  }

  /** `facts` for the winner's sentence, without the mode the speed-up's sentence already says could not run. */
  #unsaid(facts, score) {
    const mode = score.speedup?.result === "unscored" ? score.speedup.mode : null;
    if (!mode || !facts.unavailable[mode]) return facts;
    const { [mode]: _said, ...rest } = facts.unavailable;
    return { ...facts, unavailable: rest };
  }

  /** "Right: you picked threads, and threads was fastest. You guessed 3×, this machine gave 1.8×." */
  #verdict({ result, winner, speedup }) {
    const parts = [];
    if (winner && winner.result !== "skipped") {
      parts.push(winner.guess === winner.actual ? `You picked ${winner.guess}, and it was fastest.` : `You picked ${winner.guess}; ${winner.actual} was fastest.`);
    }
    if (speedup && speedup.result !== "skipped") {
      const gave = speedup.measured === null ? "this machine could not measure it" : `this machine gave ${formatTimes(speedup.measured)}`;
      const near = speedup.result === "right" ? " (within 25%: right)" : speedup.result === "wrong" ? " (more than 25% off)" : "";
      parts.push(`You guessed ${speedup.mode} ${speedup.guess}× faster than ${this.#baseline}; ${gave}${near}.`);
    }
    if (result === "skipped") {
      const measured = speedup?.measured ? ` ${speedup.mode} ran ${formatTimes(speedup.measured)} as fast as ${this.#baseline}.` : "";
      const fastest = winner?.actual ? ` ${winner.actual} was fastest.` : "";
      return `${VERDICT.skipped}.${fastest}${measured} Guess before the next run to keep score.`;
    }
    return `${VERDICT[result]}. ${parts.join(" ")}`;
  }

  #say(verdict, explanation, result) {
    this.verdict.hidden = false;
    this.verdict.textContent = verdict;
    if (result) this.verdict.dataset.result = result;
    else delete this.verdict.dataset.result;
    this.explanation.hidden = explanation === "";
    this.explanation.textContent = explanation;
  }

  /** "Guess again": a fresh prediction, the last one's scores cleared (the tally keeps them). */
  #reset() {
    this.#locked = false;
    this.#answers = null;
    for (const name of ["predictionResult", "winnerResult", "speedupResult", "measuredWinner", "measuredSpeedup", "score", "scored", "predictedWinner", "predictedSpeedup"]) {
      delete this.element.dataset[name];
    }
    if (this.#winner) this.#winner.value = "";
    if (this.#speedup) this.#speedup.value = "";
    this.verdict.hidden = this.explanation.hidden = true;
    this.again.hidden = true;
    this.#enable(this.#root.dataset.status !== "running");
    (this.#winner ?? this.#speedup).focus();
  }

  #showTally(tally) {
    this.tally.textContent = describeTally(tally);
    this.tally.dataset.right = String(tally.right);
    this.tally.dataset.total = String(tally.total);
    this.tally.dataset.stored = String(tally.stored);
  }
}
