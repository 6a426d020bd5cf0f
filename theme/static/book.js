// Page behaviour shared by every chapter: the sidebar toggle on narrow screens,
// the light/dark toggle, ← / → for the previous and next chapters, / for the search box,
// the print button, and marking the section in view in the page's table of contents.
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

  var printButtons = document.querySelectorAll("[data-print]");
  for (var p = 0; p < printButtons.length; p++) {
    printButtons[p].addEventListener("click", function () { window.print(); });
  }

  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    // "/" needs Shift on some keyboards, so Shift is allowed for it.
    if (event.key === "/") {
      var search = document.getElementById("search-input");
      if (search) {
        event.preventDefault();
        search.focus();
      }
      return;
    }
    if (event.shiftKey) return;
    var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
    if (!rel) return;
    var link = document.querySelector('.prev-next a[rel="' + rel + '"]');
    if (link) window.location.href = link.href;
  });

  // The table of contents beside the text marks the section being read: the last one
  // whose heading has passed the top bar (or the last one, at the end of the page).
  var tocLinks = document.querySelectorAll(".page-toc a[href^='#']");
  var sections = [];
  for (var i = 0; i < tocLinks.length; i++) {
    var heading = document.getElementById(decodeURIComponent(tocLinks[i].hash.slice(1)));
    if (heading) sections.push({ link: tocLinks[i], heading: heading });
  }
  if (sections.length) {
    var current = null;
    var scheduled = false;
    var markSectionInView = function () {
      scheduled = false;
      var line = 90;
      var found = sections[0];
      for (var j = 0; j < sections.length; j++) {
        if (sections[j].heading.getBoundingClientRect().top - line <= 0) found = sections[j];
        else break;
      }
      var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      if (atEnd && window.scrollY > 0) found = sections[sections.length - 1];
      if (found === current) return;
      if (current) {
        current.link.classList.remove("active");
        current.link.removeAttribute("aria-current");
      }
      found.link.classList.add("active");
      found.link.setAttribute("aria-current", "location");
      current = found;
    };
    var schedule = function () {
      if (!scheduled) {
        scheduled = true;
        window.requestAnimationFrame(markSectionInView);
      }
    };
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    markSectionInView();
  }
})();
