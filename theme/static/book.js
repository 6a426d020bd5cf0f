// Page behaviour shared by every chapter: the sidebar toggle on narrow screens,
// the light/dark toggle, and ← / → for the previous and next chapters.
(function () {
  "use strict";
  var root = document.documentElement;

  var sidebarButton = document.getElementById("sidebar-toggle");
  if (sidebarButton) {
    sidebarButton.addEventListener("click", function () {
      var open = root.classList.toggle("sidebar-open");
      sidebarButton.setAttribute("aria-expanded", String(open));
    });
  }

  var themeButton = document.getElementById("theme-toggle");
  if (themeButton) {
    themeButton.addEventListener("click", function () {
      var dark = root.dataset.theme
        ? root.dataset.theme === "dark"
        : window.matchMedia("(prefers-color-scheme: dark)").matches;
      var next = dark ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("theme", next); } catch (e) { /* not remembered */ }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
    if (!rel) return;
    var link = document.querySelector('.prev-next a[rel="' + rel + '"]');
    if (link) window.location.href = link.href;
  });
})();
