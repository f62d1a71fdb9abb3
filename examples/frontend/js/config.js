// Settings from the page's own URL: ?api=… (where the API lives) and ?page_size=… (posts per
// page), else the defaults below.
export const DEFAULT_API_BASE = "http://127.0.0.1:5000";
export const DEFAULT_PAGE_SIZE = 10;

const params = new URLSearchParams(window.location.search);

export function apiBase() {
  return (params.get("api") || DEFAULT_API_BASE).replace(/\/+$/, "");
}

export function pageSize() {
  const size = Number.parseInt(params.get("page_size") || "", 10);
  return size >= 1 && size <= 100 ? size : DEFAULT_PAGE_SIZE;
}
