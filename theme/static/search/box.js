// The search box's first part, loaded with every page: "/" moves to the box, and the search
// itself (./engine.js, which fetches the index as queries need it) is loaded only when the
// reader first focuses the box or types.

const input = document.getElementById("search-input");
let loading = false;

function load() {
  if (loading) return;
  loading = true;
  // A failed load is reported by the browser; the box stays a plain text field.
  import("./engine.js").catch(() => {});
}

/** Whether the reader is typing into a field of the page. */
function isTyping(target) {
  return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

if (input) {
  input.addEventListener("focus", load);
  input.addEventListener("input", load);
  if (document.activeElement === input) load();

  // "/" puts the cursor in the search box (Shift is allowed: "/" needs it on some keyboards).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
}
