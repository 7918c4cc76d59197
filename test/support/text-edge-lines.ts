/** Hand-made shapes at the edges of what the lean reader takes. */
export const TEXT_EDGE_LINES: readonly string[] = [
  // TCP, inbound with port 0 (caller from XFF) and without XFF, a trailing `;` on the cluster, 4xx, 5xx,
  // code 0 on HTTP, flags, no path, `-` method, IPv6 remote, an unusual method, a non-canonical time.
  '[2026-11-21T09:00:00.001Z] "- - -" 0 - - - "-" 120 340 7 - "-" "-" "-" "-" "10.0.0.9:3306" outbound|3306||mysql.db.svc.cluster.local 10.0.0.1:4000 10.96.0.9:3306 10.0.0.1:3999 - -',
  '[2026-11-21T09:00:00.002Z] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "198.51.100.7, 10.0.0.3" "curl" "id-1" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:40000 10.0.0.2:80 10.0.0.3:0 outbound_.80_._.web.ns.svc.cluster.local default',
  '[2026-11-21T09:00:00.003Z] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-2" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:40000 10.0.0.2:80 10.0.0.3:0 outbound_.80_._.web.ns.svc.cluster.local default',
  '[2026-11-21T09:00:00.004Z] "GET /b/12 HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-3" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local; 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.005Z] "GET /b/13 HTTP/1.1" 404 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-4" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.006Z] "GET /b/14 HTTP/1.1" 503 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-5" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.007Z] "GET /b/15 HTTP/1.1" 0 - - - "-" 0 0 1 - "-" "curl" "id-6" "api:80" "-" outbound|80||api.ns.svc.cluster.local - 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.008Z] "GET /b/16 HTTP/1.1" 200 DI via_upstream - "-" 0 10 1 1 "-" "curl" "id-7" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.009Z] "GET HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-8" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.010Z] "- /x HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-9" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.011Z] "GET /c HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-10" "web:80" "[fd00::2]:80" inbound|80|| [::6]:40000 [fd00::2]:80 [fd00::3]:51234 - default',
  '[2026-11-21T09:00:00.012Z] "PROPFIND /d HTTP/1.1" 207 - via_upstream - "-" 0 10 1 1 "-" "dav" "id-11" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00Z] "GET /e HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-12" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-13-21T09:00:00.013Z] "GET /e HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-13" "api:80" "10.0.0.5:80" outbound|80||api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.014Z] "GET /f HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-14" "api:80" "10.0.0.5:80" outbound|80|v2|api.ns.svc.cluster.local 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.015Z] "GET /g HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-15" "api:80" "10.0.0.5:80" outbound|80|| 10.0.0.1:5000 10.96.0.5:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.016Z] "GET /h HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-16" "other:80" "10.0.0.6:80" outbound|80|| 10.0.0.1:5000 10.96.0.6:80 10.0.0.1:4999 - default',
  '[2026-11-21T09:00:00.017Z] "GET /i HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-17" "web:80" "10.0.0.2:80" inbound-vip|80||web.ns.svc.cluster.local 10.0.0.2:40000 10.0.0.2:80 10.0.0.3:51234 - default',
  '[2026-11-21T09:00:00.018Z] "GET /j HTTP/1.1" 200 - via_upstream - "-" 0 10 1 1 "-" "curl" "id-18" "web:80" "10.0.0.2:80" inbound|80|| 127.0.0.6:40000 10.0.0.2:80 - - default',
];
