// A run's results for taking elsewhere: a Markdown table (for an issue or a note) and JSON
// (for a script). Both say which demo, with which parameters, on which machine.

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
