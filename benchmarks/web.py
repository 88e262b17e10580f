"""Public pages under load (issue 17): `make bench-web` / `python -m benchmarks.web`.

Starts the production stack exactly as the deployment smoke test does (scripts/smoke.py: the
production settings, PostgreSQL, Redis, two gunicorn app servers with two workers each, the
Huey consumer, nginx with deploy/nginx/gongkai.conf over TLS), fills it with the demo city plus
``--documents`` synthetic documents (`gongkai demo --documents`, which then runs ANALYZE), and
measures with wrk (Debian's package, loopback only) five public pages:

  home ``/``, a policy page ``/items/<id>/``, the policy library with a facet
  ``/policies/?kind=normative``, search ``/search/?q=企业``, a column's RSS feed.

For each page, in one run, each for ``--duration`` seconds with ``--connections`` connections
(wrk -t2, keep-alive, HTTPS):

* ``uncached`` — every request carries a unique query string (``_bench=<thread>-<n>``), so
  nginx's micro-cache always misses and an app server renders the page from the database: the
  cold path. Also at one connection (``uncached-c1``: the latency one reader sees).
* ``cached`` — the same address again and again after a warm-up: nginx's 2 s micro-cache
  answers, the app renders about once per 2 s.
* ``app-cached`` — the same address again and again straight to one gunicorn app server
  (no nginx, plain HTTP on loopback): the app's own page cache (Redis,
  ``gongkai.core.page_cache``) answers without touching the database. Search is never in the
  page cache (its index is not tracked), so its figures there are the uncached path.
* ``nginx-static`` — the very HTML of that page, saved to a file and served by the same nginx
  (same TLS, same worker count) as a static file: the ceiling.

One JSON line per measurement: requests/s, p50/p95/p99 in ms (wrk's latency histogram), the
ratio of requests/s to nginx static for the same page, non-2xx answers, and the method. The
whole run is bounded (``--timeout``, default 1800 s); everything is torn down at the end.

Environment (defaults): BENCH_DB [gongkai_bench], BENCH_PG [postgres://postgres@127.0.0.1:5432],
BENCH_REDIS [redis://127.0.0.1:6379/4], BENCH_PORTS [18180,18543,18101,18102,18544] (http,
https, app 1, app 2, static).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTS = os.environ.get("BENCH_PORTS", "18180,18543,18101,18102,18544").split(",")
STATIC_PORT = int(PORTS[4])
# scripts/smoke.py reads its settings from the environment when imported.
os.environ["SMOKE_DB"] = os.environ.get("BENCH_DB", "gongkai_bench")
os.environ["SMOKE_PG"] = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
os.environ["SMOKE_REDIS"] = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/4")
os.environ["SMOKE_PORTS"] = ",".join(PORTS[:4])

_spec = importlib.util.spec_from_file_location("gongkai_smoke", ROOT / "scripts" / "smoke.py")
assert _spec
assert _spec.loader
smoke = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(smoke)

WRK = shutil.which("wrk") or "/usr/bin/wrk"
# Per-thread unique query strings for the uncached runs, and the percentiles wrk's text output
# lacks (p95), printed as one JSON object by done().
WRK_SCRIPT = r"""
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  local path = wrk.path
  if os.getenv("BENCH_UNIQUE") == "1" then
    counter = counter + 1
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "_bench=" .. tostring(tid) .. "-" .. tostring(counter)
  end
  return wrk.format(nil, path)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "non_2xx": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


class WebBench(smoke.Smoke):
    def __init__(self, args: argparse.Namespace) -> None:
        super().__init__()
        self.args = args
        self.static_dir = self.tmp / "static-html"

    def nginx_conf(self) -> Path:
        """The smoke test's nginx, plus one TLS server serving saved pages as plain files."""
        conf = super().nginx_conf()
        self.static_dir.mkdir(mode=0o755)
        site = self.tmp / "nginx-site.conf"
        site.write_text(
            site.read_text()
            + f"""
server {{
    listen 127.0.0.1:{STATIC_PORT} ssl http2;
    server_name {smoke.HOST};
    ssl_certificate {self.tmp}/tls/fullchain.pem;
    ssl_certificate_key {self.tmp}/tls/privkey.pem;
    root {self.static_dir};
    default_type text/html;
    access_log off;
    location / {{ try_files $uri =404; }}
}}
"""
        )
        return conf

    def load_data(self) -> None:
        self.manage("migrate", "--noinput", timeout=300)
        self.manage("collectstatic", "--noinput", timeout=300)
        self.manage("demo", timeout=900)
        out = self.manage(
            "demo", "--documents", str(self.args.documents), timeout=self.args.timeout
        )
        self.log(f"documents: {out.strip().splitlines()[-1]}")
        # Each app server's own search index, built now rather than by the first search (which
        # would outlast gunicorn's 60 s worker timeout at this size).
        for name in ("app1", "app2"):
            self.manage(
                "reindex",
                timeout=self.args.timeout,
                GONGKAI_SEARCH_DIR=str(self.var / "search" / name),
            )

    def pick_paths(self) -> dict[str, str]:
        if not hasattr(self, "_paths"):
            self._paths = self._pick_paths()
        return dict(self._paths)

    def _pick_paths(self) -> dict[str, str]:
        code = (
            "from gongkai.policies.selectors import public_policies;"
            "from gongkai.catalogue.selectors import column_items;"
            "from gongkai.catalogue.models import Column;"
            "item = public_policies().order_by('-published_date', '-id').first();"
            "col = next(c for c in Column.objects.filter(is_active=True).order_by('sort_order')"
            " if column_items(c).exists());"
            "print(item.pk, col.slug)"
        )
        item_id, slug = self.manage("shell", "-c", code).strip().splitlines()[-1].split()
        return {
            "home": "/",
            "item": f"/items/{item_id}/",
            "policy_library_facet": "/policies/?kind=normative",
            "search": "/search/?q=%E4%BC%81%E4%B8%9A",  # 企业
            "feed": f"/columns/{slug}/rss.xml",
        }

    def environment(self) -> None:
        super().environment()
        # One loopback address makes all the load: the per-address limits of search and the
        # API (GONGKAI_SEARCH_RATE, GONGKAI_API_RATE) would answer 429 to the benchmark.
        self.env["GONGKAI_SEARCH_RATE"] = "100000000/60"
        self.env["GONGKAI_API_RATE"] = "100000000/60"

    def wrk(
        self, url: str, *, connections: int, unique: bool, headers: tuple[str, ...] = ()
    ) -> dict:
        args = [
            WRK, "-t", str(min(2, connections)), "-c", str(connections),
            "-d", f"{self.args.duration}s", "--timeout", "10s",
            "-s", str(self.tmp / "bench.lua"), url,
        ]  # fmt: skip
        for header in headers:
            args[1:1] = ["-H", header]
        env = {**os.environ, "BENCH_UNIQUE": "1" if unique else "0"}
        done = subprocess.run(
            args,
            env=env,
            capture_output=True,
            text=True,
            timeout=self.args.duration + 60,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            raise RuntimeError(f"wrk exited {done.returncode}: {done.stderr[-2000:]}")
        raw = json.loads(done.stdout.strip().splitlines()[-1])
        seconds = raw["duration_us"] / 1e6
        return {
            "requests": raw["requests"],
            "requests_per_s": round(raw["requests"] / seconds, 1),
            "p50_ms": round(raw["p50_us"] / 1000, 2),
            "p95_ms": round(raw["p95_us"] / 1000, 2),
            "p99_ms": round(raw["p99_us"] / 1000, 2),
            "non_2xx": raw["non_2xx"],
            "socket_errors": raw["socket_errors"],
        }

    def measure(self) -> None:
        (self.tmp / "bench.lua").write_text(WRK_SCRIPT)
        paths = self.pick_paths()
        base = f"https://{smoke.HOST}:{smoke.HTTPS_PORT}"
        static_base = f"https://{smoke.HOST}:{STATIC_PORT}"
        c = self.args.connections
        method = (
            f"wrk 4.1 -t2 keep-alive over TLS on loopback, {self.args.duration} s per run; "
            "stack: nginx -> 2 gunicorn (2 sync workers each, production settings) -> "
            f"PostgreSQL + Redis, demo city + {self.args.documents} documents, 2-core machine"
        )
        for page, path in paths.items():
            status, _headers, html = self.request(smoke.HTTPS_PORT, path, tls=True)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            (self.static_dir / f"{page}.html").write_bytes(html)
            (self.static_dir / f"{page}.html").chmod(0o644)
            static = self.wrk(f"{static_base}/{page}.html", connections=c, unique=False)
            runs = {
                "nginx-static": (static, "the same HTML saved to a file, served by nginx"),
                "uncached": (
                    self.wrk(base + path, connections=c, unique=True),
                    "unique query string per request: micro-cache misses, the app renders",
                ),
                "uncached-c1": (
                    self.wrk(base + path, connections=1, unique=True),
                    "as uncached, one connection: the latency one reader sees",
                ),
                "cached": (
                    self.wrk(base + path, connections=c, unique=False),
                    "the same address: nginx's 2 s micro-cache answers after a warm-up",
                ),
                "app-cached": (
                    self.wrk(
                        f"http://127.0.0.1:{smoke.APP1}{path}",
                        connections=c,
                        unique=False,
                        headers=(f"Host: {smoke.HOST}", "X-Forwarded-Proto: https"),
                    ),
                    "the same address straight to one gunicorn (2 workers), no nginx: the app's"
                    " own page cache in Redis answers"
                    + (" (search is never page-cached)" if page == "search" else ""),
                ),
            }
            for mode, (figures, how) in runs.items():
                line = {
                    "page": page,
                    "path": path,
                    "mode": mode,
                    "connections": 1 if mode == "uncached-c1" else c,
                    **figures,
                    "ratio_to_nginx_static": round(
                        figures["requests_per_s"] / static["requests_per_s"], 4
                    ),
                    "bytes": len(html),
                    "load_average_1m": round(os.getloadavg()[0], 2),
                    "method": f"{how}; {method}",
                }
                print(json.dumps(line, ensure_ascii=False), flush=True)

    def steps(self) -> None:
        self.prepare_services()
        self.environment()
        self.certificate()
        self.load_data()
        self.start_servers()
        # Both app servers load their search index on the first query.
        for port in (smoke.APP1, smoke.APP2):
            self.app_search(port, "企业")
        self.plans()
        self.measure()

    def plans(self) -> None:
        """EXPLAIN ANALYZE of every query the busy pages run (benchmarks/web_plans.py)."""
        paths = {k: v for k, v in self.pick_paths().items() if k != "search"}
        code = (ROOT / "benchmarks" / "web_plans.py").read_text()
        out = self.manage("shell", "-c", f"{code}\nmain({paths!r}, {smoke.HOST!r})", timeout=600)
        for line in out.splitlines():
            if line.startswith("PLAN "):
                plan = json.loads(line[5:])
                print(json.dumps({"kind": "plan", **plan}, ensure_ascii=False), flush=True)

    def main(self) -> int:  # type: ignore[override]
        def on_alarm(_signum, _frame):
            raise smoke.Timeout(f"the benchmark took longer than {self.args.timeout} s")

        signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(self.args.timeout)
        code = 0
        started = time.monotonic()
        try:
            self.steps()
        except Exception as exc:
            self.log(f"FAIL {type(exc).__name__}: {exc}")
            for name in ("app1", "app2", "nginx"):
                self.log(f"--- {name}.log ---\n{self.tail(name, 15)}")
            code = 1
        finally:
            signal.alarm(0)
            self.stop_all()
            self.drop_services()
            shutil.rmtree(self.tmp, ignore_errors=True)
        self.log(f"done in {time.monotonic() - started:.0f} s")
        return code

    def log(self, message: str) -> None:
        # Progress on stderr: stdout is JSON lines only.
        print(f"[{time.monotonic() - self.started:6.1f}s] {message}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--timeout", type=int, default=1800, help="the whole run, seconds")
    args = parser.parse_args()
    if not Path(WRK).exists():
        print("需要 wrk（apt-get install wrk）", file=sys.stderr)
        return 1
    return WebBench(args).main()


if __name__ == "__main__":
    sys.exit(main())
