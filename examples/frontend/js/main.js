// The example reader: wires the API, the router and the views together.

import { ApiError, createApi } from "./api.js";
import { componentRenderer } from "./components.js";
import { apiBase } from "./config.js";
import { renderDocument } from "./document.js";
import { h, replace } from "./dom.js";
import { renderList } from "./list.js";
import { filtersOf, listHref, navigate, parseRoute } from "./router.js";
import { renderSidebar } from "./sidebar.js";

const api = createApi(apiBase());
const main = document.getElementById("main");
const sidebar = document.getElementById("sidebar");
const searchForm = document.getElementById("search");
const searchInput = document.getElementById("search-input");
const sitePicker = document.getElementById("site-picker");

let sites = null; // every site, loaded once
const siteTerms = new Map(); // site slug -> Promise of {authors, keywords, pages}
let currentSite = null;
let lastListHref = null;
let renderCount = 0;

async function loadSites() {
  sites ??= (await api.get("sites", { page_size: 100 })).items;
  return sites;
}

function loadTerms(site) {
  if (!siteTerms.has(site)) {
    const base = `sites/${encodeURIComponent(site)}`;
    const all = { page_size: 100 };
    const terms = Promise.all([
      api.get(`${base}/authors`, all),
      api.get(`${base}/keywords`, all),
      api.get(`${base}/pages`, all),
    ]).then(([authors, keywords, pages]) => ({
      authors: authors.items,
      keywords: keywords.items,
      pages: pages.items,
    }));
    terms.catch(() => siteTerms.delete(site)); // try again on the next visit
    siteTerms.set(site, terms);
  }
  return siteTerms.get(site);
}

function showSite(info) {
  const name = document.getElementById("site-name");
  name.textContent = info.name;
  name.href = listHref(info.slug);
  document.getElementById("site-description").textContent = info.description || "";
  document.documentElement.lang = info.language || "en";
  sitePicker.value = info.slug;
}

function showError(error) {
  const notFound = error instanceof ApiError && error.status === 404;
  const title = notFound ? "Not found" : "Something went wrong";
  replace(
    main,
    h(
      "div",
      { className: "error-box", role: "alert" },
      h("h1", { text: title }),
      h("p", { className: "error-detail", text: error.message }),
      currentSite
        ? h("p", {}, h("a", { href: listHref(currentSite), text: "Back to all posts" }))
        : null,
    ),
  );
}

async function render() {
  const count = ++renderCount;
  const stale = () => count !== renderCount;
  const route = parseRoute();
  main.setAttribute("aria-busy", "true");
  try {
    const all = await loadSites();
    if (stale()) return;
    if (!all.length) throw new Error("The API has no sites yet: run `flask import-site PATH`.");
    sitePicker.replaceChildren(...all.map((s) => h("option", { value: s.slug, text: s.name })));
    sitePicker.closest("label").hidden = all.length < 2;
    if (route.view === "home") {
      navigate(listHref(all[0].slug));
      return;
    }
    const info = all.find((s) => s.slug === route.site);
    if (!info) throw new ApiError(404, `There is no site called “${route.site}”.`);
    currentSite = info.slug;
    showSite(info);
    const terms = await loadTerms(info.slug);
    if (stale()) return;
    const siteNavigation = renderSidebar({ site: info.slug, terms });

    if (route.view === "list") {
      const filters = filtersOf(route.query);
      searchInput.value = filters.q;
      const nodes = await renderList({ api, site: info.slug, filters, terms });
      if (stale()) return;
      lastListHref = window.location.hash;
      replace(main, nodes);
      replace(sidebar, siteNavigation);
      document.title = filters.q ? `Search: ${filters.q} · ${info.name}` : info.name;
    } else {
      searchInput.value = "";
      const { title, nodes, toc } = await renderDocument({
        api,
        site: info.slug,
        kind: route.view,
        slug: route.slug,
        backHref: lastListHref,
        renderComponent: componentRenderer(api, info.slug),
      });
      if (stale()) return;
      replace(main, nodes);
      replace(sidebar, toc, siteNavigation);
      document.title = `${title} · ${info.name}`;
    }
    window.scrollTo(0, 0);
  } catch (error) {
    if (!stale()) {
      showError(error);
      console.error(error);
    }
  } finally {
    if (!stale()) main.removeAttribute("aria-busy");
  }
}

searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!currentSite) return;
  const q = searchInput.value.trim();
  const route = parseRoute();
  const filters = route.view === "list" ? filtersOf(route.query) : {};
  navigate(listHref(currentSite, { ...filters, q, page: 1 }));
});

sitePicker.addEventListener("change", () => navigate(listHref(sitePicker.value)));
document.getElementById("api-base").textContent = api.baseUrl;
window.addEventListener("hashchange", render);
render();
