// The reader's own measurements, quoted in the text: every finished demo run is remembered in
// this browser (localStorage, never sent anywhere), and any element with
// `data-measured="DEMO.MODE.FIGURE"` shows the latest figure — FIGURE is `ms`, `workers` or
// `speedup` (against the same run's sequential mode). Elements keep their own text until
// there is a measurement to show.
(function () {
  "use strict";
  var KEY = "concurrency-lab-measured";

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }

  function save(all) {
    try { localStorage.setItem(KEY, JSON.stringify(all)); } catch (e) { /* not remembered */ }
  }

  function figure(all, path) {
    var parts = path.split(".");
    var run = all[parts[0]];
    var mode = run && run.modes && run.modes[parts[1]];
    if (!mode) return null;
    if (parts[2] === "ms" && typeof mode.ms === "number") return mode.ms.toFixed(mode.ms < 10 ? 1 : 0) + " ms";
    if (parts[2] === "workers" && typeof mode.workers === "number") return String(mode.workers);
    if (parts[2] === "speedup") {
      var base = run.modes.sequential;
      if (base && typeof base.ms === "number" && typeof mode.ms === "number" && mode.ms > 0) {
        return (base.ms / mode.ms).toFixed(1) + "×";
      }
    }
    return null;
  }

  function fill() {
    var all = load();
    var cells = document.querySelectorAll("[data-measured]");
    for (var i = 0; i < cells.length; i++) {
      var value = figure(all, cells[i].getAttribute("data-measured"));
      if (value !== null) {
        cells[i].textContent = value;
        cells[i].classList.add("measured");
      }
    }
  }

  document.addEventListener("demo-run", function (event) {
    var name = event.target && event.target.dataset ? event.target.dataset.demo : null;
    var results = event.detail && event.detail.results;
    if (!name || !results) return;
    var modes = {};
    Object.keys(results).forEach(function (mode) {
      var r = results[mode];
      if (r && typeof r.ms === "number") modes[mode] = { ms: r.ms, workers: r.workers };
    });
    if (!Object.keys(modes).length) return;
    var all = load();
    all[name] = { modes: modes, job: event.detail.job || null, at: Date.now() };
    save(all);
    fill();
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
