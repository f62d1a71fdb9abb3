// Putting the API's rendered HTML on the page: internal links become routes of this app,
// root-relative image and download URLs point at the API, heading anchors scroll.
//
// The `html` field is sanitized by the API (an allow-list of tags, attributes and URL schemes);
// it is the only string this app ever parses as HTML into the page.

import { h } from "./dom.js";
import { documentHref, navigate } from "./router.js";

const ROOT_RELATIVE = /^\/(?!\/)/;

function isPlainClick(event) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export function scrollToAnchor(id) {
  const target = document.getElementById(id);
  if (target) target.scrollIntoView({ behavior: "smooth", block: "start" });
}

export function renderHtml(html, { api, site, renderComponent }) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const content = template.content;

  for (const link of content.querySelectorAll("a[data-mdcms-kind][data-mdcms-slug]")) {
    link.setAttribute("href", documentHref(site, link.dataset.mdcmsKind, link.dataset.mdcmsSlug));
    link.classList.add("internal-link");
  }
  for (const link of content.querySelectorAll("a[href]:not([data-mdcms-kind])")) {
    const href = link.getAttribute("href");
    if (ROOT_RELATIVE.test(href)) link.setAttribute("href", api.resolve(href));
  }
  for (const image of content.querySelectorAll("img[src]")) {
    const src = image.getAttribute("src");
    if (ROOT_RELATIVE.test(src)) image.setAttribute("src", api.resolve(src));
    image.decoding = "async";
  }
  for (const slot of content.querySelectorAll(".mdcms-component[data-mdcms-component]")) {
    if (!slot.hasChildNodes() && renderComponent) renderComponent(slot);
  }

  const prose = h("div", { className: "prose" });
  prose.append(content);
  prose.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || !isPlainClick(event)) return;
    const href = link.getAttribute("href");
    if (link.dataset.mdcmsKind || href.startsWith("#/")) {
      event.preventDefault();
      navigate(href);
    } else if (href.startsWith("#")) {
      event.preventDefault();
      scrollToAnchor(decodeURIComponent(href.slice(1)));
    }
  });
  return prose;
}

// The table of contents from the document's `toc` field: built with text nodes only.
export function renderToc(entries) {
  const list = (items) =>
    h(
      "ul",
      {},
      items.map((entry) =>
        h(
          "li",
          {},
          h("a", {
            href: `#${entry.id}`,
            text: entry.title,
            onClick: (event) => {
              if (!isPlainClick(event)) return;
              event.preventDefault();
              scrollToAnchor(entry.id);
            },
          }),
          entry.children.length ? list(entry.children) : null,
        ),
      ),
    );
  return h(
    "nav",
    { className: "toc", "aria-labelledby": "toc-heading" },
    h("h2", { id: "toc-heading", text: "On this page" }),
    list(entries),
  );
}
