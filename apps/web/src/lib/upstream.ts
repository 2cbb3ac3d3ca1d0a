/**
 * Where a same-origin console request (`/trpc/…`, `/api/…`) goes on the control plane. Keeps a
 * path prefix of the API URL (`http://host/weft` + `/trpc/x` → `http://host/weft/trpc/x`).
 */
export function upstreamUrl(apiUrl: URL, pathname: string, search: string): URL {
  const target = new URL(apiUrl.href);
  target.pathname = apiUrl.pathname.replace(/\/+$/, '') + pathname;
  target.search = search;
  target.hash = '';
  return target;
}
