// Code blocks: a Copy button on every block of the chapter, and on Rust blocks with hidden
// lines (`<span class="boring">`, as mdBook writes them) a button that shows or hides them.
// Copy takes the code as shown: hidden lines only while they are shown.

const status = document.createElement("span");
status.className = "visually-hidden";
status.setAttribute("role", "status");
document.body.append(status);

for (const pre of document.querySelectorAll("article.chapter pre")) {
  const code = pre.querySelector(":scope > code");
  if (!code || pre.closest("figure.demo")) continue;
  const tools = document.createElement("div");
  tools.className = "code-tools";
  if (code.querySelector(".boring")) {
    const toggle = button("Show hidden lines", "code-toggle");
    toggle.setAttribute("aria-pressed", "false");
    toggle.addEventListener("click", () => {
      const shown = pre.classList.toggle("show-hidden");
      toggle.setAttribute("aria-pressed", String(shown));
      toggle.textContent = shown ? "Hide hidden lines" : "Show hidden lines";
    });
    tools.append(toggle);
  }
  const copy = button("Copy", "code-copy");
  copy.addEventListener("click", () => copyCode(pre, code));
  tools.append(copy);
  pre.prepend(tools);
}

function button(text, className) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = text;
  return b;
}

async function copyCode(pre, code) {
  const showHidden = pre.classList.contains("show-hidden");
  const clone = code.cloneNode(true);
  if (!showHidden) for (const line of clone.querySelectorAll(".boring")) line.remove();
  try {
    await navigator.clipboard.writeText(clone.textContent);
    status.textContent = "Copied the code.";
  } catch {
    // No clipboard (not a secure context, or no permission): select it for the reader to copy.
    const range = document.createRange();
    range.selectNodeContents(code);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    status.textContent = "The code is selected: copy it with Ctrl+C (⌘C).";
  }
}
