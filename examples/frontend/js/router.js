// Routes live in the URL's hash, so the page works from any static server:
//   #/{site}                     posts, with ?author=…&keyword=…&q=…&page=… filters
//   #/{site}/posts/{slug}        a post
//   #/{site}/pages/{slug}        a page

export const LIST_FILTERS = ["author", "keyword", "q", "page"];

export function parseRoute(hash = window.location.hash) {
  const raw = hash.replace(/^#/, "");
  const [path, search = ""] = raw.split("?", 2);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  if (parts.length === 0) return { view: "home", query };
  const [site, collection, slug] = parts;
  if (collection === "posts" && slug) return { view: "post", site, slug, query };
  if (collection === "pages" && slug) return { view: "page", site, slug, query };
  return { view: "list", site, query };
}

export function documentHref(site, kind, slug) {
  return `#/${encodeURIComponent(site)}/${kind}s/${encodeURIComponent(slug)}`;
}

export function listHref(site, filters = {}) {
  const query = new URLSearchParams();
  for (const name of LIST_FILTERS) {
    for (const value of [].concat(filters[name] ?? [])) {
      if (value !== "" && value !== null && value !== undefined) query.append(name, value);
    }
  }
  const search = query.toString();
  return `#/${encodeURIComponent(site)}${search ? `?${search}` : ""}`;
}

export function filtersOf(query) {
  return {
    author: query.get("author") || "",
    keyword: query.get("keyword") || "",
    q: query.get("q") || "",
    page: Math.max(1, Number.parseInt(query.get("page") || "1", 10) || 1),
  };
}

export function navigate(href) {
  if (window.location.hash === href) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else window.location.hash = href;
}
