// Search snippets are escaped text with matches in <mark>. They are parsed in an inert document
// (nothing loads or runs there) and rebuilt from text nodes and <mark> elements only.

import { h } from "./dom.js";

export function renderSnippet(snippet) {
  const parsed = new DOMParser().parseFromString(snippet, "text/html");
  const nodes = [];
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") nodes.push(h("mark", { text: node.textContent }));
    else nodes.push(document.createTextNode(node.textContent));
  }
  return h("p", { className: "snippet" }, nodes);
}
