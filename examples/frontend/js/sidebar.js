// The sidebar: the site's pages by section, its authors and its most used keywords.

import { h } from "./dom.js";
import { documentHref, listHref } from "./router.js";

const TOP_KEYWORDS = 12;

function titleCase(id) {
  return id.replace(/[-_]+/g, " ").replace(/^\w/, (c) => c.toUpperCase());
}

function pageSections(site, pages) {
  const sections = new Map();
  for (const page of pages) {
    const name = page.section ? titleCase(page.section) : "Pages";
    if (!sections.has(name)) sections.set(name, []);
    sections.get(name).push(page);
  }
  return [...sections].map(([name, items]) =>
    h(
      "section",
      { className: "sidebar-block" },
      h("h2", { text: name }),
      h(
        "ul",
        {},
        items.map((page) =>
          h("li", {}, h("a", { href: documentHref(site, "page", page.slug), text: page.title })),
        ),
      ),
    ),
  );
}

export function renderSidebar({ site, terms }) {
  const blocks = [
    h(
      "section",
      { className: "sidebar-block" },
      h("h2", { text: "Posts" }),
      h("ul", {}, h("li", {}, h("a", { href: listHref(site), text: "All posts" }))),
    ),
    ...pageSections(site, terms.pages),
  ];
  if (terms.authors.length) {
    blocks.push(
      h(
        "section",
        { className: "sidebar-block" },
        h("h2", { text: "Authors" }),
        h(
          "ul",
          {},
          terms.authors.map((author) =>
            h(
              "li",
              {},
              h("a", { href: listHref(site, { author: author.slug }), text: author.name }),
              h("span", { className: "count", text: ` ${author.post_count}` }),
            ),
          ),
        ),
      ),
    );
  }
  if (terms.keywords.length) {
    blocks.push(
      h(
        "section",
        { className: "sidebar-block" },
        h("h2", { text: "Keywords" }),
        h(
          "ul",
          { className: "chips" },
          terms.keywords.slice(0, TOP_KEYWORDS).map((keyword) =>
            h(
              "li",
              {},
              h("a", { href: listHref(site, { keyword: keyword.slug }), text: keyword.name }),
            ),
          ),
        ),
      ),
    );
  }
  return blocks;
}
