// Added to the books the browser tests build (as `additional-js`): keeps every warning and
// error the page logs, and every error it does not handle, in `window.__labConsole`, where the
// test harness reads them. Engines whose driver cannot report the console (WebKit) are
// covered by this; the others report theirs too.
(function () {
  "use strict";
  var logged = (window.__labConsole = window.__labConsole || []);
  function keep(level, text) {
    logged.push({ level: level, text: String(text) });
  }
  function describe(value) {
    if (value instanceof Error) return value.name + ": " + value.message;
    try { return typeof value === "string" ? value : JSON.stringify(value); } catch (e) { return String(value); }
  }
  ["warn", "error"].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      keep(level, Array.prototype.map.call(arguments, describe).join(" "));
      return original.apply(this, arguments);
    };
  });
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target !== window && (target.src || target.href)) keep("error", "failed to load " + (target.src || target.href));
    else keep("error", "uncaught: " + (event.message || describe(event.error)));
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    keep("error", "unhandled rejection: " + describe(event.reason));
  });
  document.addEventListener("securitypolicyviolation", function (event) {
    keep("error", "content security policy refused " + event.blockedURI + " (" + event.violatedDirective + ")");
  });
})();
