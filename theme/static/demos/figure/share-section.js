// "Share this run": after a run, a button that packs it into a link (./share-codec.js), copies
// the link where the browser allows and always shows it in a read-only field with its length;
// and the note that says a shared run is shown (or why a link's could not be).

import { element } from "../dom.js";

export class ShareSection {
  #make = null;

  /** The button's line (`element`) and the note about a shared run (`note`). */
  constructor() {
    this.button = element("button", { type: "button", "data-share": "", hidden: "" }, "Share this run");
    this.status = element("span", { class: "demo-share-status", role: "status" });
    this.link = element("input", { type: "text", readonly: "", class: "demo-share-link", "data-share-link": "", hidden: "", "aria-label": "Link to this run" });
    this.element = element("div", { class: "demo-share" }, this.button, this.status, this.link);
    this.note = element("p", { class: "demo-shared-note", role: "status", hidden: "" });
    this.button.addEventListener("click", () => this.#share());
  }

  /** Offers the button, `make()` giving the link (a promise); null hides it. */
  offer(make) {
    this.#make = make;
    this.button.hidden = make === null;
    if (make === null) {
      this.link.hidden = true;
      this.status.textContent = "";
    }
  }

  async #share() {
    if (!this.#make) return;
    let link;
    try {
      link = await this.#make();
    } catch (error) {
      this.status.textContent = `Could not make the link: ${error instanceof Error ? error.message : String(error)}.`;
      return;
    }
    const bytes = new TextEncoder().encode(link).length;
    this.link.value = link;
    this.link.dataset.shareBytes = String(bytes);
    this.link.hidden = false;
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch {
      // No clipboard here (not a secure context, or no permission): the field is there to copy from.
    }
    this.link.select();
    this.status.textContent = `${copied ? "Copied the link" : "Copy the link below"} (${bytes.toLocaleString("en")} characters).`;
  }

  /** Says `text` about a shared run (null: nothing); `problem` marks it as a link that failed. */
  say(text, problem = false) {
    this.note.hidden = text === null;
    this.note.textContent = text ?? "";
    this.note.classList.toggle("demo-shared-invalid", problem);
  }
}
