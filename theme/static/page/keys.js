// Keyboard shortcuts on every chapter: ← and → go to the previous and next chapters (unless the
// reader is typing, holds a modifier, or a control of the page used the key already: a timeline,
// a replay's playhead). "/" for the search box is ../search/box.js's.

/** Whether the reader is typing into a field of the page. */
function isTyping(target) {
  return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) return;
  const rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
  if (!rel) return;
  const link = document.querySelector(`.prev-next a[rel="${rel}"]`);
  if (link) window.location.href = link.href;
});
