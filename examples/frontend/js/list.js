// The post list: author and keyword filters, search, and pages from the body's `pagination`.

import { ApiError } from "./api.js";
import { pageSize } from "./config.js";
import { formatDate, h, plural } from "./dom.js";
import { documentHref, listHref, navigate } from "./router.js";
import { renderSnippet } from "./snippet.js";

function meta(post) {
  const parts = [h("time", { datetime: post.created, text: formatDate(post.created) })];
  if (post.author) parts.push(" · by ", post.author.name);
  parts.push(` · ${post.reading_time_minutes} min read`);
  return h("p", { className: "meta" }, parts);
}

export function keywordChips(site, keywords) {
  if (!keywords.length) return null;
  return h(
    "ul",
    { className: "chips", "aria-label": "Keywords" },
    keywords.map((keyword) =>
      h("li", {}, h("a", { href: listHref(site, { keyword: keyword.slug }), text: keyword.name })),
    ),
  );
}

function postCard(site, post) {
  const summary = post.snippet
    ? renderSnippet(post.snippet)
    : h("p", { className: "excerpt", text: post.description || post.excerpt });
  return h(
    "li",
    { className: "post-card" },
    h("h2", {}, h("a", { href: documentHref(site, "post", post.slug), text: post.title })),
    meta(post),
    summary,
    keywordChips(site, post.keywords),
  );
}

function filterForm(site, filters, terms) {
  const select = (name, label, items, all) =>
    h(
      "label",
      { className: "filter" },
      h("span", { text: label }),
      h(
        "select",
        {
          name,
          onChange: (event) =>
            navigate(listHref(site, { ...filters, [name]: event.target.value, page: 1 })),
        },
        h("option", { value: "", text: all }),
        items.map((item) =>
          h("option", {
            value: item.slug,
            text: `${item.name} (${item.post_count})`,
            selected: item.slug === filters[name],
          }),
        ),
      ),
    );
  const active = filters.author || filters.keyword || filters.q;
  return h(
    "form",
    { className: "filters", onSubmit: (event) => event.preventDefault() },
    select("author", "Author", terms.authors, "All authors"),
    select("keyword", "Keyword", terms.keywords, "All keywords"),
    active ? h("a", { className: "clear", href: listHref(site), text: "Clear filters" }) : null,
  );
}

function describe(total, filters, terms) {
  const nameOf = (items, slug) => items.find((item) => item.slug === slug)?.name ?? slug;
  const parts = [plural(total, "post")];
  if (filters.q) parts.push(`matching “${filters.q}”`);
  if (filters.author) parts.push(`by ${nameOf(terms.authors, filters.author)}`);
  if (filters.keyword) parts.push(`tagged ${nameOf(terms.keywords, filters.keyword)}`);
  return parts.join(" ");
}

function pager(site, filters, pagination) {
  if (pagination.total_pages <= 1) return null;
  const link = (page, text, rel) =>
    page ? h("a", { href: listHref(site, { ...filters, page }), rel, text }) : h("span", { text });
  return h(
    "nav",
    { className: "pager", "aria-label": "Pages" },
    link(pagination.previous_page, "← Previous", "prev"),
    h("span", {
      className: "pager-status",
      text: `Page ${pagination.page} of ${pagination.total_pages}`,
    }),
    link(pagination.next_page, "Next →", "next"),
  );
}

// With a search, the site's pages that match too (GET /search?kind=page), above the posts.
async function matchingPages(api, site, q) {
  if (!q) return [];
  try {
    const params = { q, kind: "page", page_size: 5 };
    return (await api.get(`sites/${encodeURIComponent(site)}/search`, params)).items;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return []; // an API without /search
    throw error;
  }
}

function pageHits(site, hits) {
  if (!hits.length) return null;
  return h(
    "section",
    { className: "page-hits", "aria-labelledby": "page-hits-heading" },
    h("h2", { id: "page-hits-heading", text: "Matching pages" }),
    h(
      "ul",
      {},
      hits.map((hit) =>
        h(
          "li",
          {},
          h("a", { href: documentHref(site, "page", hit.slug), text: hit.title }),
          renderSnippet(hit.snippet),
        ),
      ),
    ),
  );
}

export async function renderList({ api, site, filters, terms }) {
  const params = {
    page: filters.page,
    page_size: pageSize(),
    author: filters.author,
    keyword: filters.keyword,
    q: filters.q,
  };
  const [body, pages] = await Promise.all([
    api.get(`sites/${encodeURIComponent(site)}/posts`, params),
    // Pages have no author or keyword: with those filters, posts only.
    filters.author || filters.keyword ? [] : matchingPages(api, site, filters.q),
  ]);
  const { items, pagination } = body;
  const heading = filters.q ? `Search: ${filters.q}` : "Posts";
  return [
    h("h1", { className: "page-title", text: heading }),
    filterForm(site, filters, terms),
    pageHits(site, pages),
    h("p", {
      className: "result-count",
      role: "status",
      text: describe(pagination.total, filters, terms),
    }),
    items.length
      ? h("ol", { className: "post-list" }, items.map((post) => postCard(site, post)))
      : h("p", { className: "empty", text: "No posts here. Try fewer filters." }),
    pager(site, filters, pagination),
  ];
}
