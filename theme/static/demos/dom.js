// Building the demos' DOM: an HTML or SVG element with its attributes and children in one
// call, shared by the widget, the timelines and the charts.

const SVG = "http://www.w3.org/2000/svg";

/** A new HTML element with attributes and children (strings become text). */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A new SVG element with attributes (numbers written as text) and children. */
export function svgElement(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}
