// A demo's parameters: what the catalogue allows (`data-spec`, written by site-gen from the
// demo catalogue), what the author chose (`data-params`), what the page's address asks for
// (`?primes.n=3000000`), and what the reader types into the controls — each checked against
// the same bounds.

const count = new Intl.NumberFormat("en");

/** The catalogue's entry for the demo in `root`: { name, title, summary, modes, params, agreement }. */
export function readSpec(root) {
  let spec;
  try {
    spec = JSON.parse(root.dataset.spec || "null");
  } catch (error) {
    throw new Error(`data-spec is not valid JSON (${error.message})`);
  }
  if (!spec || !Array.isArray(spec.params) || !Array.isArray(spec.modes)) {
    throw new Error("data-spec is missing: rebuild the page with this version of site-gen");
  }
  return spec;
}

/** What the parameter `param` should be, in words: "a whole number from 1 to 64". */
export function describe(param) {
  switch (param.kind) {
    case "int": return `a whole number from ${count.format(param.min)} to ${count.format(param.max)}`;
    case "choice": return `one of ${param.allowed.join(", ")}`;
    case "switch": return "on or off";
    case "choices": return `one or more of ${param.allowed.join(", ")}`;
    default: return "a value";
  }
}

/**
 * `value` checked against `param`: { ok: true, value } or { ok: false, problem }. Strings are
 * accepted for every kind (the controls and the query string give strings).
 */
export function check(param, value) {
  const refuse = () => ({ ok: false, problem: `${param.name} must be ${describe(param)}` });
  switch (param.kind) {
    case "int": {
      const text = typeof value === "string" ? value.trim().replaceAll("_", "") : value;
      const number = typeof text === "string" && /^-?\d+$/.test(text) ? Number(text) : text;
      return Number.isInteger(number) && number >= param.min && number <= param.max ? { ok: true, value: number } : refuse();
    }
    case "choice":
      return param.allowed.includes(value) ? { ok: true, value } : refuse();
    case "switch": {
      const on = { true: true, on: true, yes: true, 1: true, false: false, off: false, no: false, 0: false }[String(value).toLowerCase()];
      return typeof on === "boolean" ? { ok: true, value: on } : refuse();
    }
    case "choices": {
      const list = typeof value === "string" ? value.split(",").map((item) => item.trim()).filter(Boolean) : value;
      const ok = Array.isArray(list) && list.length > 0 && list.every((item) => param.allowed.includes(item)) &&
        new Set(list).size === list.length;
      return ok ? { ok: true, value: list } : refuse();
    }
    default:
      return refuse();
  }
}

/**
 * The demo's starting parameters: the catalogue's defaults, then the author's `data-params`,
 * then the address's `?<id>.<name>=<value>` (refused values are kept out and explained in
 * `problems`). Parameters whose default is decided in the browser (workers) get the CPU count.
 */
export function startingParams(spec, root, id, search = location.search) {
  let authored;
  try {
    authored = JSON.parse(root.dataset.params || "{}");
  } catch (error) {
    throw new Error(`data-params is not valid JSON (${error.message})`);
  }
  const cores = Math.trunc(navigator.hardwareConcurrency) || 1;
  const params = {};
  for (const param of spec.params) {
    const fallback = param.default ?? (param.kind === "int" ? Math.min(param.max, Math.max(param.min, cores)) : null);
    const given = authored[param.name];
    const checked = given === undefined ? null : check(param, given);
    params[param.name] = checked?.ok ? checked.value : fallback;
  }

  const problems = [];
  const prefix = `${id}.`;
  for (const [key, value] of new URLSearchParams(search)) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    const param = spec.params.find((p) => p.name === name);
    if (!param) {
      const known = spec.params.map((p) => p.name).join(", ");
      problems.push(`ignored ?${key}: the ${spec.name} demo has no parameter “${name}” (it has ${known})`);
      continue;
    }
    const checked = check(param, value);
    if (checked.ok) params[name] = checked.value;
    else problems.push(`ignored ?${key}=${value}: ${checked.problem}`);
  }
  return { params, problems };
}

/**
 * The settings `names` of the block, as `data-params` gives them: what an author wrote that is no
 * reader control (a workload's `stages`), absent ones left out.
 */
export function blockParams(root, names) {
  const authored = JSON.parse(root.dataset.params || "{}");
  return Object.fromEntries(names.filter((name) => name in authored).map((name) => [name, authored[name]]));
}

/** The query string that reopens the page with `params` for the demo `id` (modes included only when not all). */
export function queryFor(spec, id, params) {
  const query = new URLSearchParams();
  for (const param of spec.params) {
    const value = params[param.name];
    if (value === undefined || value === null) continue;
    if (param.kind === "choices") {
      if (value.length === param.allowed.length) continue;
      query.set(`${id}.${param.name}`, value.join(","));
    } else {
      query.set(`${id}.${param.name}`, String(value));
    }
  }
  return query;
}
