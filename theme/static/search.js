// The search box's first part, loaded with every page: "/" moves to the box, and the
// search itself (search-engine.js, which fetches the index as queries need it) is loaded
// only when the reader first focuses the box or types. The page names the engine's file in
// `data-engine` (site-gen names static files by their content).
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var script = document.currentScript;
  if (!input || !script) return;
  var loading = false;

  function load() {
    if (loading) return;
    loading = true;
    var engine = document.createElement("script");
    var named = script.getAttribute("data-engine");
    engine.src = (named ? new URL(named, document.baseURI) : new URL("search-engine.js", script.src)).href;
    document.head.appendChild(engine);
  }
  input.addEventListener("focus", load);
  input.addEventListener("input", load);
  if (document.activeElement === input) load();

  // "/" puts the cursor in the search box (unless another script of the page already did).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
