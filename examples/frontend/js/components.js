// Live components the API leaves for the frontend to fill, such as a list of the latest posts:
// <div class="mdcms-component" data-mdcms-component="posts-…" data-mdcms-options="{…}">.

import { formatDate, h, replace } from "./dom.js";
import { documentHref } from "./router.js";

function options(slot) {
  try {
    return JSON.parse(slot.dataset.mdcmsOptions || "{}");
  } catch {
    return {};
  }
}

function byYear(posts) {
  const years = new Map();
  for (const post of posts) {
    const year = new Date(post.created).getFullYear();
    if (!years.has(year)) years.set(year, []);
    years.get(year).push(post);
  }
  return years;
}

export function componentRenderer(api, site) {
  return function renderComponent(slot) {
    const name = slot.dataset.mdcmsComponent;
    if (!name.startsWith("posts-")) return;
    const limit = Math.min(Math.max(Number(options(slot).limit) || 10, 1), 100);
    const sort = name.includes("reversechronological") ? "-created" : "created";
    slot.append(h("p", { className: "loading", text: "Loading posts…" }));
    api
      .get(`sites/${encodeURIComponent(site)}/posts`, { page_size: limit, sort })
      .then(({ items }) => {
        const list = (posts) =>
          h(
            "ul",
            { className: "component-posts" },
            posts.map((post) =>
              h(
                "li",
                {},
                h("a", { href: documentHref(site, "post", post.slug), text: post.title }),
                h("span", { className: "meta", text: ` — ${formatDate(post.created)}` }),
              ),
            ),
          );
        if (name.includes("byyear")) {
          replace(
            slot,
            [...byYear(items)].map(([year, posts]) => [
              h("h3", { text: String(year) }),
              list(posts),
            ]),
          );
        } else {
          replace(slot, list(items));
        }
      })
      .catch((error) => replace(slot, h("p", { className: "error", text: error.message })));
  };
}
