// A small fetch wrapper for the content API: JSON in, problem+json errors out as ApiError.
//
// Requests use fetch's default cache mode, so the browser's HTTP cache does the work: fresh
// responses (Cache-Control: max-age) come from the cache, stale ones are revalidated with the
// ETag (If-None-Match → 304), all without code here.

export class ApiError extends Error {
  constructor(status, detail, problem = null) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

export function createApi(baseUrl) {
  const root = new URL("/api/v1/", baseUrl);

  function url(path, params = {}) {
    const target = new URL(path.replace(/^\/+/, ""), root);
    for (const [name, value] of Object.entries(params)) {
      for (const item of [].concat(value)) {
        if (item !== undefined && item !== null && item !== "") {
          target.searchParams.append(name, String(item));
        }
      }
    }
    return target;
  }

  async function get(path, params = {}) {
    const target = url(path, params);
    let response;
    try {
      response = await fetch(target, { headers: { Accept: "application/json" } });
    } catch (error) {
      throw new ApiError(0, `Cannot reach the API at ${baseUrl}: ${error.message}`);
    }
    const type = response.headers.get("Content-Type") || "";
    const body = type.includes("json") ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const detail = body && typeof body.detail === "string" && body.detail
        ? body.detail
        : `${response.status} ${response.statusText}`.trim();
      throw new ApiError(response.status, detail, body);
    }
    return body;
  }

  // Root-relative URLs in the API's HTML (images, downloads) point at the API, not at us.
  function resolve(value) {
    return new URL(value, baseUrl).href;
  }

  return { baseUrl, url, get, resolve };
}
