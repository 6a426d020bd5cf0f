// "The same in Python" under a demo: the disclosure site-gen writes into the figure
// (`details.demo-python`: the command line and a download link for the script) gets a Copy
// button for the command and one for the script, shows the highlighted script once the
// reader first opens it (fetched then: `<script>.py.json`, its highlighted HTML, which the
// build writes beside the script the link downloads), and its command line follows the parameters the reader sets.
// The command is built the way site-gen builds the first one (site-gen/src/parse/python_twin.rs):
// `python3 <demo>.py --<param> <value> …` in catalogue order, `--modes` only when not every
// mode is chosen.

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
  #download;
  #status;
  /** The highlighted script's `code` element, once fetched (a promise of it). */
  #script = null;

  /** Finds the twin in the figure `root` (there is none when the demo has no Python script). */
  constructor(root, spec) {
    this.#spec = spec;
    this.#details = root.querySelector(":scope > details.demo-python");
    if (!this.#details) return;
    this.#command = this.#details.querySelector(".demo-python-command code");
    this.#download = this.#details.querySelector(".demo-python-download");
    this.#status = element("span", { class: "demo-python-status", role: "status" });

    const copyCommand = button("Copy command", () => this.#copy(this.#command, "command"));
    copyCommand.classList.add("demo-python-copy-command");
    this.#command.closest(".demo-python-run").append(copyCommand);

    const copyScript = button("Copy script", async () => {
      const code = await this.#loadScript();
      if (code) this.#copy(code, "script");
    });
    copyScript.classList.add("demo-python-copy-script");
    const tools = this.#download.closest(".demo-python-tools");
    tools.prepend(copyScript);
    tools.append(this.#status);

    this.#details.addEventListener("toggle", () => {
      if (this.#details.open) this.#loadScript();
    });
    if (this.#details.open) this.#loadScript();
  }

  /** Shows the command for `params` (the last values the controls accepted). */
  update(params) {
    if (!this.#details) return;
    this.#command.textContent = commandLine(this.#spec, this.#details.dataset.script, params);
  }

  /** The highlighted script's `code` element, fetched and shown on first use; null when it
   * cannot be fetched (the status says so, and the download link still gives the script). */
  #loadScript() {
    this.#script ??= this.#fetchScript().catch((error) => {
      this.#script = null;
      this.#status.textContent = `The script could not be loaded (${error.message}): use the download link.`;
      return null;
    });
    return this.#script;
  }

  async #fetchScript() {
    const name = this.#details.dataset.script;
    this.#status.textContent = `Loading ${name}…`;
    const response = await fetch(`${this.#download.href}.json`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { html } = await response.json();
    const code = element("code", { class: "language-python" });
    // Written by site-gen: the script's text, escaped, in highlighting spans.
    code.innerHTML = html;
    const pre = element("pre", { class: "highlight demo-python-script", tabindex: "0", "aria-label": name }, code);
    this.#details.querySelector(".demo-python-body").append(pre);
    this.#status.textContent = "";
    return code;
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
