// Live reload for pages served by `site-gen serve` (never part of a built site).
// The server says which build is current and what is wrong with the book: a page of an
// older build reloads itself; problems are shown over the page, which stays the last good
// build until they are fixed, and so are warnings (links that lead nowhere), over pages
// that are up to date.
(function () {
  "use strict";
  var script = document.currentScript;
  var shownBuild = script ? script.getAttribute("data-build") : null;
  var panel = null;
  var hiddenText = null;
  var retry = 250;

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/.site-gen/reload");
    socket.onopen = function () { retry = 250; };
    socket.onmessage = function (event) {
      var state;
      try { state = JSON.parse(event.data); } catch (e) { return; }
      if (state.build !== shownBuild) {
        location.reload();
        return;
      }
      showProblems(state.problems || [], state.warnings || []);
    };
    socket.onclose = function () {
      // The server stopped or restarted: try again, less and less often.
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 5000);
    };
  }

  // Styled through the CSSOM: the pages' Content-Security-Policy (style-src 'self') blocks
  // style attributes, not this.
  function element(tag, style, text) {
    var e = document.createElement(tag);
    if (style) e.style.cssText = style;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showProblems(problems, warnings) {
    var shown = problems.concat(warnings);
    var text = shown.map(function (p) { return p.text; }).join("\n");
    if (shown.length === 0) {
      if (panel) panel.remove();
      panel = null;
      hiddenText = null;
      return;
    }
    if (text === hiddenText) return;
    if (panel) panel.remove();
    panel = element("section",
      "position:fixed;z-index:2147483647;left:0;right:0;top:0;max-height:70vh;overflow:auto;" +
      "box-sizing:border-box;padding:1rem 1.25rem;background:#1e1e24;color:#f4f4f6;" +
      "border-bottom:4px solid " + (problems.length ? "#e5484d" : "#f5a524") + ";box-shadow:0 6px 24px rgba(0,0,0,.45);" +
      "font:15px/1.5 system-ui,sans-serif;text-align:left");
    panel.id = "site-gen-problems";
    panel.setAttribute("role", "alert");
    panel.setAttribute("aria-label", "Problems in the book");

    var head = element("div", "display:flex;gap:1rem;align-items:baseline;justify-content:space-between");
    var title = problems.length
      ? (problems.length === 1 ? "The book has a problem" : "The book has " + problems.length + " problems")
      : (warnings.length === 1 ? "The book has a warning" : "The book has " + warnings.length + " warnings");
    head.appendChild(element("strong", "font-size:1.1rem;color:" + (problems.length ? "#ff9592" : "#ffd166"), title));
    var hide = element("button",
      "font:inherit;color:inherit;background:transparent;border:1px solid #6e6e7a;border-radius:4px;padding:.1rem .6rem;cursor:pointer",
      "Hide");
    hide.type = "button";
    hide.onclick = function () {
      hiddenText = text;
      panel.remove();
      panel = null;
    };
    head.appendChild(hide);
    panel.appendChild(head);
    panel.appendChild(element("p", "margin:.25rem 0 .75rem;color:#c8c8d0", problems.length
      ? "This is the last good build. Fix the file and save: the page reloads by itself."
      : "This page is up to date, but links in the book lead nowhere. Fix them and save: this goes away by itself."));

    shown.forEach(function (p) {
      var item = element("div", "margin:.5rem 0");
      item.className = "site-gen-problem";
      if (p.place) {
        var place = element("code",
          "display:block;margin:0;padding:0;border:0;background:none;font:bold 14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#ffd166",
          p.place);
        place.className = "site-gen-problem-place";
        item.appendChild(place);
      }
      item.appendChild(element("pre",
        "margin:.25rem 0 0;padding:.6rem .75rem;overflow:auto;background:#121216;border-radius:4px;" +
        "font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre;color:#f4f4f6",
        p.text));
      panel.appendChild(item);
    });
    document.body.appendChild(panel);
  }

  connect();
})();
