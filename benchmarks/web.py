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
ratio of requests/s to nginx static for the same page (when ``nginx-static`` was measured),
non-2xx answers, the method, and where the CPU went: ``cpu_ms_per_request`` gives CPU
milliseconds per request of each process group during that wrk run — ``wrk`` (this script's
child, from ``RUSAGE_CHILDREN``), ``nginx``, ``gunicorn`` (both app servers, masters and
workers), ``huey`` (the job consumer), ``postgres`` and ``redis`` (the whole servers, so another
user's work on them counts too) — from utime+stime in /proc/<pid>/stat of each group's process
tree, exited children included (cutime+cstime); ``other`` is the rest of the machine's busy
CPU (/proc/stat) in the same seconds: other jobs, this script, the kernel. ``cpu_busy_cores``
is the machine's busy CPU over the run (2.0 = both cores busy). Clock ticks are 10 ms, so runs
of a few seconds are needed for figures to mean something.

Options: ``--pages`` and ``--modes`` (comma-separated subsets of the names above, for quick
iterations, e.g. ``--documents 20000 --duration 5 --pages item --modes uncached``),
``--no-plans`` (skip the EXPLAIN ANALYZE lines), and for a large world built once:

* ``--keep`` leaves the database BENCH_DB and the data directory BENCH_DATA (default
  ``var/bench-web/<BENCH_DB>``: search indexes, media, collected static files, and a note of
  the document count and the keys the world was made with) in place at the end.
* ``--reuse`` skips loading (demo city, documents, search indexes) when BENCH_DB exists and
  BENCH_DATA holds a world of the same ``--documents`` with both app servers' indexes; it runs
  migrate and collectstatic only, with the world's own keys. Otherwise it loads as usual.
  Without ``--keep`` the world is dropped at the end.

  ``make bench-web BENCH_ARGS="--documents 1000000 --keep --timeout 7000"`` once, then
  ``make bench-web BENCH_ARGS="--documents 1000000 --reuse --keep --pages item"`` any time.

The whole run is bounded (``--timeout``, default 1800 s); everything else is torn down at the
end.

Environment (defaults): BENCH_DB [gongkai_bench], BENCH_PG [postgres://postgres@127.0.0.1:5432],
BENCH_REDIS [redis://127.0.0.1:6379/4], BENCH_PORTS [18180,18543,18101,18102,18544] (http,
https, app 1, app 2, static), BENCH_DATA [var/bench-web/<BENCH_DB>], BENCH_CODE [unset: this
checkout] — another checkout whose ``gongkai`` the app servers and the consumer run (before and
after on one kept world).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTS = os.environ.get("BENCH_PORTS", "18180,18543,18101,18102,18544").split(",")
STATIC_PORT = int(PORTS[4])
# A kept world (--keep, --reuse): the checkout's var/ (git-ignored), one directory per database.
DATA_DIR = Path(
    os.environ.get("BENCH_DATA")
    or ROOT / "var" / "bench-web" / os.environ.get("BENCH_DB", "gongkai_bench")
)
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

PAGES = ("home", "item", "policy_library_facet", "search", "feed")
MODES = ("nginx-static", "uncached", "uncached-c1", "cached", "app-cached")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, command name, CPU ticks of the process and of its reaped children)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after the last ")".
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # fields[1] is ppid; utime, stime, cutime, cstime are fields 14-17 of stat(5), here 11-14.
    return int(fields[1]), name, sum(int(f) for f in fields[11:15])


def _processes() -> dict[int, tuple[int, str, int]]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None:
                out[int(entry)] = stat
    return out


def _tree_ticks(procs: dict[int, tuple[int, str, int]], roots: set[int]) -> int:
    """CPU ticks of the roots and every live descendant, each with its reaped children's (an
    exited gunicorn worker or PostgreSQL backend is counted in its parent's cutime/cstime)."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _name, _ticks) in procs.items():
        children.setdefault(ppid, []).append(pid)
    total, todo, seen = 0, [r for r in roots if r in procs], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += procs[pid][2]
        todo.extend(children.get(pid, ()))
    return total


def _machine_ticks() -> int:
    """Busy CPU ticks of the whole machine (/proc/stat: all but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values) - values[3] - values[4]


def _database_exists() -> bool:
    import psycopg

    try:
        with psycopg.connect(
            smoke.PG.replace("postgres://", "postgresql://") + "/" + smoke.DB, connect_timeout=5
        ):
            return True
    except psycopg.OperationalError:
        return False


class WebBench(smoke.Smoke):
    def __init__(self, args: argparse.Namespace) -> None:
        super().__init__()
        self.args = args
        self.static_dir = self.tmp / "static-html"
        # A world to keep or reuse lives outside the run's temporary directory, beside a note
        # of what it holds and the keys it was made with (the PII key decrypts its data).
        self.reusing = False
        self.saved: dict = {}
        if args.keep or args.reuse:
            self.var = DATA_DIR
            marker = DATA_DIR / "bench-web.json"
            if args.reuse and marker.exists():
                saved = json.loads(marker.read_text())
                indexes = all((DATA_DIR / "search" / n).is_dir() for n in ("app1", "app2"))
                if (
                    saved.get("db") == smoke.DB
                    and saved.get("documents") == args.documents
                    and indexes
                    and _database_exists()
                ):
                    self.reusing, self.saved = True, saved

    def prepare_services(self) -> None:
        if self.reusing:
            import redis

            redis.Redis.from_url(smoke.REDIS, socket_timeout=5).flushdb()
            self.log(f"reusing {smoke.DB} and {DATA_DIR} ({self.args.documents} documents)")
            return
        if self.args.keep or self.args.reuse:
            if self.args.reuse:
                self.log(f"nothing to reuse for {self.args.documents} documents: loading")
            shutil.rmtree(DATA_DIR, ignore_errors=True)
            DATA_DIR.mkdir(parents=True, mode=0o755)
            DATA_DIR.chmod(0o755)  # nginx's workers (nobody) read the static files there
        super().prepare_services()

    def drop_services(self) -> None:
        if not self.args.keep:
            super().drop_services()
            return
        import redis

        with contextlib.suppress(Exception):
            redis.Redis.from_url(smoke.REDIS, socket_timeout=5).flushdb()
        self.log(f"kept {smoke.DB} and {DATA_DIR} (--reuse measures on them again)")

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
        if self.reusing:
            return
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
        if self.args.keep or self.args.reuse:
            keys = {k: self.env[k] for k in ("GONGKAI_SECRET_KEY", "GONGKAI_PII_KEY")}
            note = {"db": smoke.DB, "documents": self.args.documents, "keys": keys}
            (DATA_DIR / "bench-web.json").write_text(json.dumps(note))

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
        if os.environ.get("BENCH_CODE"):
            # Another checkout's code in the app servers and the consumer (before/after on one
            # kept world); the commands that load the world run this checkout's.
            self.env["PYTHONPATH"] = os.environ["BENCH_CODE"]
        if self.reusing:
            # The keys the kept world was made with, in the environment and the env file.
            self.env.update(self.saved["keys"])
            env_file = self.tmp / "gongkai.env"
            lines = [
                f"{line.partition('=')[0]}={self.saved['keys'][line.partition('=')[0]]}"
                if line.partition("=")[0] in self.saved["keys"]
                else line
                for line in env_file.read_text().splitlines()
            ]
            env_file.write_text("\n".join(lines) + "\n")

    def cpu_groups(self) -> dict[str, set[int]]:
        """Root process ids of each group; a group's CPU is its whole process tree's."""
        procs = _processes()
        own = {name: {p.pid} for name, p in self.procs.items()}

        def roots(command: str) -> set[int]:
            # The server's first process: its parent is not one of its own kind.
            return {
                pid
                for pid, (ppid, name, _t) in procs.items()
                if name == command and procs.get(ppid, (0, ""))[1] != command
            }

        return {
            "nginx": own.get("nginx", set()),
            "gunicorn": own.get("app1", set()) | own.get("app2", set()),
            "huey": own.get("huey", set()),
            "postgres": roots("postgres"),
            "redis": roots("redis-server"),
        }

    def cpu_sample(self, groups: dict[str, set[int]]) -> dict[str, int]:
        procs = _processes()
        sample = {name: _tree_ticks(procs, roots) for name, roots in groups.items()}
        # wrk is this process's child, run to completion: its CPU is in RUSAGE_CHILDREN.
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        sample["wrk"] = round((usage.ru_utime + usage.ru_stime) * CLOCK_TICKS)
        sample["machine"] = _machine_ticks()
        return sample

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
        groups = self.cpu_groups()
        before = self.cpu_sample(groups)
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
        after = self.cpu_sample(groups)
        raw = json.loads(done.stdout.strip().splitlines()[-1])
        seconds = raw["duration_us"] / 1e6
        ms = {k: (after[k] - before[k]) * 1000 / CLOCK_TICKS for k in before}
        per_request = {
            k: round(v / max(1, raw["requests"]), 3) for k, v in ms.items() if k != "machine"
        }
        # Everything else on the machine in the same seconds (other jobs, this script, the
        # kernel's own work not charged to a process): large means the figures are disturbed.
        per_request["other"] = round(
            (ms["machine"] - sum(v for k, v in ms.items() if k != "machine"))
            / max(1, raw["requests"]),
            3,
        )
        return {
            "requests": raw["requests"],
            "requests_per_s": round(raw["requests"] / seconds, 1),
            "p50_ms": round(raw["p50_us"] / 1000, 2),
            "p95_ms": round(raw["p95_us"] / 1000, 2),
            "p99_ms": round(raw["p99_us"] / 1000, 2),
            "non_2xx": raw["non_2xx"],
            "socket_errors": raw["socket_errors"],
            "cpu_ms_per_request": per_request,
            "cpu_busy_cores": round(ms["machine"] / 1000 / seconds, 2),
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
        how = {
            "nginx-static": "the same HTML saved to a file, served by nginx",
            "uncached": "unique query string per request: micro-cache misses, the app renders",
            "uncached-c1": "as uncached, one connection: the latency one reader sees",
            "cached": "the same address: nginx's 2 s micro-cache answers after a warm-up",
            "app-cached": "the same address straight to one gunicorn (2 workers), no nginx: the"
            " app's own page cache in Redis answers",
        }
        for page, path in paths.items():
            if page not in self.args.pages:
                continue
            status, _headers, html = self.request(smoke.HTTPS_PORT, path, tls=True)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            (self.static_dir / f"{page}.html").write_bytes(html)
            (self.static_dir / f"{page}.html").chmod(0o644)
            app = (f"Host: {smoke.HOST}", "X-Forwarded-Proto: https")
            runs: dict[str, tuple[str, int, bool, tuple[str, ...]]] = {
                "nginx-static": (f"{static_base}/{page}.html", c, False, ()),
                "uncached": (base + path, c, True, ()),
                "uncached-c1": (base + path, 1, True, ()),
                "cached": (base + path, c, False, ()),
                "app-cached": (f"http://127.0.0.1:{smoke.APP1}{path}", c, False, app),
            }
            static: dict | None = None
            for mode in MODES:
                if mode not in self.args.modes:
                    continue
                url, connections, unique, headers = runs[mode]
                figures = self.wrk(url, connections=connections, unique=unique, headers=headers)
                if mode == "nginx-static":
                    static = figures
                note = how[mode]
                if mode == "app-cached" and page == "search":
                    note += " (search is never page-cached)"
                line = {
                    "page": page,
                    "path": path,
                    "mode": mode,
                    "connections": 1 if mode == "uncached-c1" else c,
                    **figures,
                    "bytes": len(html),
                    "load_average_1m": round(os.getloadavg()[0], 2),
                    "method": f"{note}; {method}",
                }
                if static is not None:
                    line["ratio_to_nginx_static"] = round(
                        figures["requests_per_s"] / static["requests_per_s"], 4
                    )
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
        if not self.args.no_plans:
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
    parser.add_argument(
        "--pages", default=",".join(PAGES), help=f"comma-separated subset of {','.join(PAGES)}"
    )
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"comma-separated subset of {','.join(MODES)}"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="leave the database and BENCH_DATA (search indexes, media) in place at the end",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="skip loading when BENCH_DB and BENCH_DATA already hold --documents documents",
    )
    parser.add_argument(
        "--no-plans", action="store_true", help="skip the EXPLAIN ANALYZE of the pages' queries"
    )
    args = parser.parse_args()
    args.pages = [p for p in args.pages.split(",") if p]
    args.modes = [m for m in args.modes.split(",") if m]
    unknown = (set(args.pages) - set(PAGES)) | (set(args.modes) - set(MODES))
    if unknown:
        parser.error(f"unknown pages or modes: {sorted(unknown)}")
    if not Path(WRK).exists():
        print("需要 wrk（apt-get install wrk）", file=sys.stderr)
        return 1
    return WebBench(args).main()


if __name__ == "__main__":
    sys.exit(main())
