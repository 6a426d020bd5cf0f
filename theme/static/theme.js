// Applies the reader's remembered light/dark choice before the page is painted.
(function () {
  try {
    var saved = localStorage.getItem("theme");
    if (saved === "light" || saved === "dark") document.documentElement.dataset.theme = saved;
  } catch (e) { /* storage may be disabled: follow the system setting */ }
})();
