// "The same in Python" under a demo: the disclosure site-gen writes into the figure
// (`details.demo-python`: the command line and the highlighted script) gets a Copy button for
// the command, one for the script and a download link, and its command line follows the
// parameters the reader sets. The command is built the way site-gen builds the first one
// (site-gen/src/python_twin.rs): `python3 <demo>.py --<param> <value> …` in catalogue order,
// `--modes` only when not every mode is chosen.

import { element } from "./elements.js";

/** The command line that runs the twin `script` of the demo `spec` with `params`. */
export function commandLine(spec, script, params) {
  const words = ["python3", script];
  for (const param of spec.params) {
    const value = params[param.name];
    if (value === undefined || value === null) continue;
    if (param.kind === "choices") {
      if (value.length === param.allowed.length) continue;
      words.push(`--${param.name}`, value.join(","));
    } else {
      words.push(`--${param.name}`, String(value));
    }
  }
  return words.join(" ");
}

export class PythonTwin {
  #spec;
  #details;
  #command;
  #status;

  /** Finds the twin in the figure `root` (there is none when the demo has no Python script). */
  constructor(root, spec) {
    this.#spec = spec;
    this.#details = root.querySelector(":scope > details.demo-python");
    if (!this.#details) return;
    this.#command = this.#details.querySelector(".demo-python-command code");
    const script = this.#details.querySelector(".demo-python-script");
    const name = this.#details.dataset.script;
    this.#status = element("span", { class: "demo-python-status", role: "status" });

    const copyCommand = button("Copy command", () => this.#copy(this.#command, "command"));
    copyCommand.classList.add("demo-python-copy-command");
    this.#command.closest(".demo-python-run").append(copyCommand);

    const copyScript = button("Copy script", () => this.#copy(script, "script"));
    copyScript.classList.add("demo-python-copy-script");
    const download = element("a", {
      class: "demo-python-download",
      href: new URL(`./python/${encodeURIComponent(name)}`, import.meta.url).href,
      download: name,
    }, `Download ${name}`);
    script.before(element("div", { class: "demo-python-tools" }, copyScript, download, this.#status));
  }

  /** Shows the command for `params` (the last values the controls accepted). */
  update(params) {
    if (!this.#details) return;
    this.#command.textContent = commandLine(this.#spec, this.#details.dataset.script, params);
  }

  async #copy(from, what) {
    const text = from.textContent;
    try {
      await navigator.clipboard.writeText(text);
      this.#status.textContent = `Copied the ${what}.`;
    } catch {
      // No clipboard (not a secure context, or no permission): select it for the reader to copy.
      const range = document.createRange();
      range.selectNodeContents(from);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      this.#status.textContent = `The ${what} is selected: copy it with Ctrl+C (⌘C).`;
    }
  }
}

function button(text, onClick) {
  const b = element("button", { type: "button" }, text);
  b.addEventListener("click", onClick);
  return b;
}

