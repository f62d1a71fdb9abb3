// Where the API lives: ?api=… on the page's URL, else the default below.
export const DEFAULT_API_BASE = "http://127.0.0.1:5000";
export const PAGE_SIZE = 10;

export function apiBaseFromLocation(location = window.location) {
  const given = new URLSearchParams(location.search).get("api");
  const base = given || DEFAULT_API_BASE;
  return base.replace(/\/+$/, "");
}
