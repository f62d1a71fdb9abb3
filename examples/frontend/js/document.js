// One post or page: its rendered HTML, table of contents, keywords and neighbours.

import { formatDate, h, plural } from "./dom.js";
import { renderHtml, renderToc } from "./html.js";
import { keywordChips } from "./list.js";
import { documentHref, listHref } from "./router.js";

function postMeta(post) {
  const parts = [];
  if (post.created) {
    parts.push(h("time", { datetime: post.created, text: formatDate(post.created) }));
  }
  if (post.authors?.length) parts.push(` · by ${post.authors.map((a) => a.name).join(", ")}`);
  parts.push(` · ${post.reading_time_minutes} min read`);
  if (post.modified) parts.push(` · updated ${formatDate(post.modified)}`);
  return h("p", { className: "meta" }, parts);
}

function neighbours(site, post) {
  if (!post.previous && !post.next) return null;
  const link = (ref, label, className) =>
    ref
      ? h(
          "a",
          { className, href: documentHref(site, "post", ref.slug) },
          h("span", { className: "neighbour-label", text: label }),
          h("span", { className: "neighbour-title", text: ref.title }),
        )
      : h("span");
  return h(
    "nav",
    { className: "neighbours", "aria-label": "More posts" },
    link(post.previous, "← Older", "older"),
    link(post.next, "Newer →", "newer"),
  );
}

export async function renderDocument({ api, site, kind, slug, backHref, renderComponent }) {
  const path = `sites/${encodeURIComponent(site)}/${kind}s/${encodeURIComponent(slug)}`;
  const doc = await api.get(path);
  const isPost = kind === "post";
  const header = h(
    "header",
    { className: "document-header" },
    isPost
      ? h("a", { className: "back", href: backHref || listHref(site), text: "← All posts" })
      : null,
    h("h1", { className: "document-title", text: doc.title }),
    doc.description ? h("p", { className: "lede", text: doc.description }) : null,
    isPost
      ? postMeta(doc)
      : h("p", { className: "meta", text: `${plural(doc.reading_time_minutes, "minute")} read` }),
    isPost ? keywordChips(site, doc.keywords) : null,
  );
  const body = renderHtml(doc.html, { api, site, renderComponent });
  // A page may carry its own table of contents (a `toc-page` component): no second one then.
  const showToc = doc.toc.length > 0 && !body.querySelector(".mdcms-component nav");
  const article = h(
    "article",
    { className: `document document-${kind}`, lang: doc.language || null },
    header,
    body,
    isPost ? neighbours(site, doc) : null,
  );
  return { title: doc.title, nodes: [article], toc: showToc ? renderToc(doc.toc) : null };
}
