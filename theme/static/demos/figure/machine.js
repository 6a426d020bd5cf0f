// "Your machine": what the reader's results depend on, in one line — logical cores, browser,
// and what the browser gives the demos (shared memory, workers that may block, …).

import { capabilitiesNow, describeCapabilities } from "../runtime/capabilities.js";
import { element } from "../dom.js";

/** The browser's name and major version, from its client hints or its user-agent string. */
function browser() {
  const brands = navigator.userAgentData?.brands?.filter((brand) => !/not.a.brand/i.test(brand.brand)) ?? [];
  const named = brands.find((brand) => brand.brand !== "Chromium") ?? brands[0];
  if (named) return `${named.brand} ${named.version}`;
  const ua = navigator.userAgent;
  for (const [pattern, name] of [[/Firefox\/(\d+)/, "Firefox"], [/Edg\/(\d+)/, "Edge"], [/OPR\/(\d+)/, "Opera"],
    [/Chrom(?:e|ium)\/(\d+)/, "Chrome"], [/Version\/(\d+).*Safari/, "Safari"]]) {
    const match = ua.match(pattern);
    if (match) return `${name} ${match[1]}`;
  }
  return "an unknown browser";
}

/**
 * "Your machine: 2 logical cores · Chrome 156 · has module workers, cross-origin isolation, …;
 * lacks …." — what the reader's results depend on: cores, browser, and what it gives the demos
 * (`found`, from ../runtime/capabilities.js).
 */
export function describeMachine(found) {
  const cores = Math.trunc(navigator.hardwareConcurrency) || 0;
  const coreText = cores > 0 ? `${cores} logical core${cores === 1 ? "" : "s"}` : "an unknown number of cores";
  return `Your machine: ${coreText} · ${browser()} · ${describeCapabilities(found)}.`;
}

/** The figure's machine line (`.demo-machine`, its `data-capabilities` the capabilities as JSON). */
export class MachineLine {
  constructor() {
    this.element = element("p", { class: "demo-machine" });
    this.show();
  }

  /** Shows what the browser gives the demos: `found`, or what is known now. */
  show(found = capabilitiesNow()) {
    this.element.textContent = describeMachine(found);
    this.element.dataset.capabilities = JSON.stringify(found);
  }
}
