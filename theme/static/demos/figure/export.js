// A run's results for taking elsewhere: a Markdown table (for an issue or a note), JSON (for a
// script) and a link that reopens the page with the same parameters; and the figure's Export
// buttons that copy them. The tables and JSON say which demo, with which parameters, on which
// machine.

import { queryFor } from "./params.js";
import { columnsOf, shownColumnsOf, shownResult } from "./results-table.js";
import { describeMachine } from "./machine.js";
import { capabilitiesNow } from "../runtime/capabilities.js";
import { element } from "../dom.js";

/** `| a | b |` with pipes in cells escaped. */
function line(cells) {
  return `| ${cells.map((cell) => String(cell ?? "").replaceAll("|", "\\|")).join(" | ")} |`;
}

function settings(spec, params) {
  return spec.params
    .filter((param) => params[param.name] !== undefined && param.kind !== "choices")
    .map((param) => `${param.name} = ${params[param.name]}`)
    .join(", ");
}

/** The results as a Markdown table with a heading line, the agreement and the machine under it. */
export function toMarkdown({ title, demo, spec, params, resultHeading, columns = [], rows, agreement, machine, link }) {
  const out = [
    `**${title}** (\`${demo}\`: ${settings(spec, params)})`,
    "",
    line(["Mode", "Wall time (ms)", "Speed-up", "Workers", resultHeading, ...columns.map((column) => column.heading)]),
    line(["---", "---:", "---:", "---:", "---:", ...columns.map(() => "---:")]),
  ];
  for (const row of rows) {
    if (row.refused) {
      out.push(line([row.mode, "refused", "", "", row.refused, ...columns.map(() => "")]));
    } else if (row.ms === undefined) {
      out.push(line([row.mode, row.status, "", "", "", ...columns.map(() => "")]));
    } else {
      const extra = columns.map((column) => (row[column.attribute] == null ? "" : column.format(row[column.attribute])));
      out.push(line([row.mode, row.ms.toFixed(1), row.speedup == null ? "—" : `${row.speedup.toFixed(1)}×`, row.workers, row.shown, ...extra]));
    }
  }
  out.push("");
  if (agreement) out.push(agreement, "");
  out.push(machine, "", link);
  return out.join("\n");
}

/** The results as indented JSON. */
export function toJson({ demo, params, rows, agree, machine, link }) {
  const results = rows.map(({ shown, ...row }) => row);
  return JSON.stringify({ demo, params, results, agree, machine, link }, null, 2);
}

/**
 * A figure's exports (`root.demoExport`: `markdown()`, `json()` and `link()`, each giving text,
 * and `rows()`, the rows the table and JSON hold)
 * from what `figure` knows when one is asked for: { spec, id, anchor, definition, modes,
 * params(), linkParams(), results(), runs(), statusOf(mode), speedups(), agreement() } —
 * `linkParams()` are the controls' values (if allowed), `agreement()` { agree, text }.
 */
export function figureExports(figure) {
  const { spec, definition } = figure;
  const rows = () => exportRows({
    modes: figure.modes,
    results: figure.results(),
    refusals: new Map([...figure.runs()].filter(([, run]) => run.refused).map(([mode, run]) => [mode, run.refused])),
    statusOf: figure.statusOf,
    speedups: figure.speedups(),
    shownResult: (result) => shownResult(definition, result, figure.params()),
    columns: columnsOf(definition),
  });
  const link = () => pageLink(spec, figure.id, figure.linkParams(), figure.anchor);
  const machine = () => describeMachine(capabilitiesNow());
  return {
    markdown: () => toMarkdown({
      title: spec.title, demo: spec.name, params: figure.params(), spec, resultHeading: definition.resultHeading,
      columns: shownColumnsOf(definition), rows: rows(), agreement: figure.agreement().text, machine: machine(), link: link(),
    }),
    json: () => toJson({ demo: spec.name, params: figure.params(), rows: rows(), agree: figure.agreement().agree, machine: machine(), link: link() }),
    link,
    rows,
  };
}

/**
 * The rows the Markdown table and JSON hold, one per mode in `modes`: { mode, status } for a mode
 * that did not run, with `refused` for one that declined, and for a mode that ran its numbers:
 * `ms`, `speedup` (2 decimals), `workers`, `result`, `shown` (the result as the table shows it),
 * `expected` where the demo knows it, and the definition's own columns.
 */
function exportRows({ modes, results, refusals, statusOf, speedups, shownResult, columns }) {
  return modes.map((mode) => {
    const result = results.get(mode);
    const status = statusOf(mode);
    const refused = refusals.get(mode);
    if (refused) return { mode, status, refused };
    if (!result) return { mode, status };
    const speedup = speedups.get(mode) ?? null;
    return {
      mode,
      status,
      ms: Number(result.ms.toFixed(3)),
      speedup: speedup === null ? null : Number(speedup.toFixed(2)),
      workers: result.workers,
      result: result.total,
      shown: shownResult(result),
      ...(typeof result.extra?.expected === "number" ? { expected: result.extra.expected } : {}),
      ...Object.fromEntries(columns.map((column) => [column.attribute, column.value(result) ?? null])),
    };
  });
}

/**
 * This page with the demo `id`'s `params` in the query string (those of other demos kept,
 * `?autorun` and `?demo-fail` dropped), scrolled to the figure `anchor`.
 */
export function pageLink(spec, id, params, anchor) {
  const query = new URLSearchParams(location.search);
  for (const key of [...query.keys()]) if (key.startsWith(`${id}.`) || key === "autorun" || key === "demo-fail") query.delete(key);
  for (const [key, value] of queryFor(spec, id, params)) query.set(key, value);
  const url = new URL(location.href);
  url.search = query.toString();
  url.hash = anchor;
  return url.href;
}

/**
 * The figure's Export line: a button each for the Markdown table, the JSON and the link (made
 * by `exports`' functions of the same names), copied to the clipboard, or shown in a box to
 * copy by hand where the browser allows no clipboard.
 */
export function exportButtons(exports) {
  const status = element("span", { class: "demo-export-status", role: "status" });
  const text = element("textarea", { class: "demo-export-text", readonly: "", rows: "6", hidden: "", "aria-label": "Exported results" });
  const copy = async (value, what) => {
    text.value = value;
    try {
      await navigator.clipboard.writeText(value);
      text.hidden = true;
      status.textContent = `Copied the ${what}.`;
    } catch {
      // No clipboard (not a secure context, or no permission): the reader copies it by hand.
      text.hidden = false;
      text.select();
      status.textContent = `Copy the ${what} from the box below.`;
    }
  };
  const button = (label, make, what) => {
    const b = element("button", { type: "button" }, label);
    b.addEventListener("click", () => copy(make(), what));
    return b;
  };
  return element("div", { class: "demo-export" },
    element("span", { class: "demo-export-label" }, "Export:"),
    button("Markdown table", exports.markdown, "Markdown table"),
    button("JSON", exports.json, "JSON"),
    button("Link to these settings", exports.link, "link"),
    status,
    text);
}
