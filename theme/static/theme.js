// Applies the reader's remembered light/dark choice before the page is painted.
//
// A classic script, loaded in the head without `defer`, on purpose: it must run before the first
// paint, or a reader who chose dark sees the page flash light first. Module scripts run only once
// the page is parsed, and an inline script is refused by the pages' Content-Security-Policy.
// (Every other script of the theme is a module; page/top-bar.js has the toggle itself.)
(function () {
  try {
    var saved = localStorage.getItem("theme");
    if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
  } catch (e) { /* storage may be disabled: follow the system setting */ }
})();
