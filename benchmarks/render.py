"""CPU per uncached render of the busy public pages (issue 17 item 4): `make bench-render`.

In-process, no HTTP server and no load generator: each page is rendered by Django's own WSGI
handler (exactly what gunicorn calls) with the **production settings** (DEBUG off, cached
template loader, hashed static files from the manifest, Redis cache, the production
middleware) and the app's page cache **off**, so every request renders from the database. The
figures are CPU milliseconds of the rendering process per request (``time.process_time``; the
database server's own time is not in them), the part of it inside the template engine
(``template_cpu_ms``: the page's ``Template.render``, includes and tags within it) and wall
milliseconds, p50/p95, and on a local PostgreSQL the server's own CPU per render
(``db_cpu_ms_mean``: the connection's backend process, utime + stime over the measured
renders) for each of:

  home ``/``, a policy page ``/items/<id>/``, the policy library with a facet
  ``/policies/?kind=normative``, search ``/search/?q=企业``, a column's RSS feed

— the pages of `make bench-web`, picked the same way.

``--compare TREE`` renders the same pages, on the same database, with the code of another
checkout as well (e.g. ``git worktree add /tmp/base main``): one worker process per tree, both
warmed up (unmeasured), then ``--rounds`` rounds that alternate which tree goes first, each
rendering every page ``--per-round`` times, one worker at a time. Each JSON line then has both
trees' figures, the ratio, and whether the two trees' HTML and response headers were identical.

``--page-cache`` turns the app's page cache on and gives every render a new query string
(``_bench=N``, counted alike in each worker): the miss path of bench-web's ``uncached`` runs —
the generations' snapshot, the render with its reads recorded, the store.

``--profile PAGE`` prints the cProfile of that many renders of one page (top functions by
own time and by cumulative time) to stderr.

The database is ``DATABASE_URL`` (PostgreSQL as in production; SQLite works too). An empty one
gets the demo city first; ``--documents N`` appends N synthetic documents (`gongkai demo
--documents N`, which also builds the search index and runs ANALYZE). Redis is ``BENCH_REDIS``
(default ``redis://127.0.0.1:6379/4``). Files (search index, collected static files with their
manifest) go under ``BENCH_VAR`` (default ``var/bench-render``). One JSON line per page on
stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEARCH_QUERY = "/search/?q=%E4%BC%81%E4%B8%9A"  # 企业
HOST = "bench.localhost"


def _environment(tree: Path) -> dict[str, str]:
    var = Path(os.environ.get("BENCH_VAR", ROOT / "var" / "bench-render")).resolve()
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(tree),
            "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.prod",
            "GONGKAI_VAR_DIR": str(var),
            "GONGKAI_SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "GONGKAI_PII_KEY": env.get("BENCH_PII_KEY") or secrets.token_hex(16),
            "GONGKAI_ALLOWED_HOSTS": HOST,
            "GONGKAI_DEBUG": "0",
            # --page-cache: on, and every render a new address (a miss that stores).
            "GONGKAI_PAGE_CACHE": os.environ.get("BENCH_PAGE_CACHE", "0"),
            "GONGKAI_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # One "client" makes every request: the per-address limit of search would answer 429.
            "GONGKAI_SEARCH_RATE": "100000000/60",
            "GONGKAI_API_RATE": "100000000/60",
            "REDIS_URL": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/4"),
        }
    )
    # The secrets must be the same in every process of one run (the workers and the set-up).
    os.environ.setdefault("BENCH_SECRET_KEY", env["GONGKAI_SECRET_KEY"])
    os.environ.setdefault("BENCH_PII_KEY", env["GONGKAI_PII_KEY"])
    var.mkdir(parents=True, exist_ok=True)
    return env


def _manage(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env=_environment(ROOT),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def prepare(documents: int) -> None:
    """Schema, data (the demo city; N synthetic documents if asked) and static manifest."""
    _manage("migrate", "-v0")
    if documents:
        _manage("demo", "--documents", str(documents))
    else:
        _manage("demo", "--if-empty")
    _manage("collectstatic", "--noinput", "-v0")


# ----------------------------------------------------------------------------- the worker


_TEMPLATE_CPU_NS = [0]


def _count_template_cpu() -> None:
    """Add the CPU time of each page's template render (the backend's ``Template.render``, which
    ``render()``/``TemplateResponse`` call once per page; includes and tags are inside it) to
    ``_TEMPLATE_CPU_NS``: the engine's share of a request, beside the total."""
    from django.template.backends import django as backend

    original = backend.Template.render

    def render(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.process_time_ns()
        try:
            return original(self, *args, **kwargs)
        finally:
            _TEMPLATE_CPU_NS[0] += time.process_time_ns() - start

    backend.Template.render = render  # type: ignore[method-assign]


def _worker_setup() -> Any:
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    _count_template_cpu()
    return WSGIHandler()


_RENDERS = [0]


def _environ(path: str) -> dict[str, Any]:
    import io

    path_info, _, query = path.partition("?")
    if os.environ.get("GONGKAI_PAGE_CACHE") == "1":
        # A unique query string per render, as bench-web's "uncached" runs: the page cache
        # misses, renders and stores. Each worker counts alike, so trees print the same HTML.
        _RENDERS[0] += 1
        query = f"{query}&_bench={_RENDERS[0]}" if query else f"_bench={_RENDERS[0]}"
    from urllib.parse import unquote

    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote(path_info).encode().decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_REAL_IP": "192.0.2.10",
        "HTTP_ACCEPT": "text/html,application/xhtml+xml",
        "HTTP_ACCEPT_ENCODING": "identity",
        "HTTP_USER_AGENT": "bench-render",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _render(handler: Any, path: str) -> tuple[int, bytes]:
    code, body, _headers = _render_with_headers(handler, path)
    return code, body


def _render_with_headers(handler: Any, path: str) -> tuple[int, bytes, list[tuple[str, str]]]:
    status: list[str] = []
    sent: list[tuple[str, str]] = []

    def start_response(code: str, headers: list, exc_info: Any = None) -> None:
        status.append(code)
        sent.extend(headers)

    result = handler(_environ(path), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return int(status[0].split()[0]), body, sent


def _backend_cpu() -> tuple[int, float] | None:
    """The PostgreSQL backend of this process's connection and its CPU milliseconds so far
    (utime + stime of /proc/<pid>/stat: the server must be on this machine), or None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _timed(handler: Any, path: str, times: int) -> dict[str, Any]:
    db_before = _backend_cpu()
    cpu: list[float] = []
    wall: list[float] = []
    template: list[float] = []
    body = b""
    code = 0
    headers: list[tuple[str, str]] = []
    for _ in range(times):
        t0 = _TEMPLATE_CPU_NS[0]
        c0, w0 = time.process_time_ns(), time.perf_counter_ns()
        code, body, headers = _render_with_headers(handler, path)
        cpu.append((time.process_time_ns() - c0) / 1e6)
        wall.append((time.perf_counter_ns() - w0) / 1e6)
        template.append((_TEMPLATE_CPU_NS[0] - t0) / 1e6)
    db_after = _backend_cpu()
    # The backend's CPU over the batch (clock ticks of 10 ms: only sums mean something); a
    # batch during which the connection was replaced (CONN_MAX_AGE) counts for nothing.
    same = db_before is not None and db_after is not None and db_before[0] == db_after[0]
    return {
        "db_cpu": (db_after[1] - db_before[1]) if same else None,  # type: ignore[index]
        "cpu": cpu,
        "wall": wall,
        "template_cpu": template,
        "status": code,
        "bytes": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
        # Security and caching headers are behaviour too: compared beside the body.
        "headers_sha256": hashlib.sha256(json.dumps(sorted(headers)).encode()).hexdigest(),
    }


def _pick_paths() -> dict[str, str]:
    from gongkai.catalogue.models import Column
    from gongkai.catalogue.selectors import column_items
    from gongkai.policies.selectors import public_policies

    item = public_policies().order_by("-published_date", "-id").first()
    column = next(
        c
        for c in Column.objects.filter(is_active=True).order_by("sort_order")
        if column_items(c).exists()
    )
    return {
        "home": "/",
        "item": f"/items/{item.pk}/" if item else "/",
        "policy_library_facet": "/policies/?kind=normative",
        "search": SEARCH_QUERY,
        "feed": f"/columns/{column.slug}/rss.xml",
    }


def worker() -> None:
    """Answer the parent's commands, one JSON line each way (stdin/stdout)."""
    handler = _worker_setup()
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing else may write on the command channel
    for line in sys.stdin:
        command = json.loads(line)
        if command["do"] == "paths":
            answer: Any = _pick_paths()
        elif command["do"] == "render":
            answer = _timed(handler, command["path"], command["times"])
        elif command["do"] == "body":
            answer = _render(handler, command["path"])[1].decode()
        else:
            break
        out.write(json.dumps(answer) + "\n")
        out.flush()


def profile(path: str, times: int, limit: int) -> None:
    import cProfile
    import pstats

    handler = _worker_setup()
    for _ in range(20):
        _render(handler, path)
    profiler = cProfile.Profile(time.process_time)  # CPU, not waits on the database
    profiler.enable()
    for _ in range(times):
        _render(handler, path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)


# ----------------------------------------------------------------------------- the parent


class Worker:
    def __init__(self, tree: Path) -> None:
        self.tree = tree
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker"],
            env=_environment(tree),
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **command: Any) -> Any:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"worker for {self.tree} died")
        return json.loads(line)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 2), "p95": round(p95, 2)}


def measure(args: argparse.Namespace) -> None:
    trees = {"this": ROOT}
    if args.compare:
        trees = {"base": Path(args.compare).resolve(), "this": ROOT}
    workers = {name: Worker(tree) for name, tree in trees.items()}
    try:
        paths = workers["this"].ask(do="paths")
        if args.pages:
            paths = {k: v for k, v in paths.items() if k in args.pages.split(",")}
        for worker in workers.values():  # warm-up: caches, compiled templates, connections
            for path in paths.values():
                worker.ask(do="render", path=path, times=args.warmup)
        samples: dict[str, dict[str, dict[str, Any]]] = {
            name: {
                page: {"cpu": [], "wall": [], "template_cpu": [], "db_cpu": 0.0, "db_renders": 0}
                for page in paths
            }
            for name in workers
        }
        order = list(workers)
        for round_no in range(args.rounds):
            for name in order if round_no % 2 == 0 else reversed(order):
                for page, path in paths.items():
                    got = workers[name].ask(do="render", path=path, times=args.per_round)
                    sample = samples[name][page]
                    sample["cpu"] += got["cpu"]
                    sample["wall"] += got["wall"]
                    sample["template_cpu"] += got["template_cpu"]
                    if got["db_cpu"] is not None:
                        sample["db_cpu"] += got["db_cpu"]
                        sample["db_renders"] += len(got["cpu"])
                    sample.update(
                        status=got["status"],
                        bytes=got["bytes"],
                        sha256=got["sha256"],
                        headers_sha256=got["headers_sha256"],
                    )
        for page, path in paths.items():
            line: dict[str, Any] = {"page": page, "path": path}
            for name in workers:
                s = samples[name][page]
                line[name] = {
                    "cpu_ms": _summary(s["cpu"]),
                    "template_cpu_ms": _summary(s["template_cpu"]),
                    "wall_ms": _summary(s["wall"]),
                    # PostgreSQL's own CPU per render (its backend's, mean over the renders).
                    "db_cpu_ms_mean": (
                        round(s["db_cpu"] / s["db_renders"], 3) if s["db_renders"] else None
                    ),
                    "status": s["status"],
                    "bytes": s["bytes"],
                    "renders": len(s["cpu"]),
                }
            if "base" in workers:
                before, after = line["base"]["cpu_ms"]["p50"], line["this"]["cpu_ms"]["p50"]
                line["cpu_p50_after_over_before"] = round(after / before, 3) if before else None
                line["identical_html"] = (
                    samples["base"][page]["sha256"] == samples["this"][page]["sha256"]
                )
                line["identical_headers"] = (
                    samples["base"][page]["headers_sha256"]
                    == samples["this"][page]["headers_sha256"]
                )
            line["method"] = (
                "in-process WSGI handler, production settings, "
                + (
                    "page cache on, a new query string per render (miss and store); "
                    if args.page_cache
                    else "page cache off; "
                )
                + f"{args.warmup} unmeasured warm-up renders per page and tree, then "
                f"{args.rounds} rounds x {args.per_round} renders, trees alternating first; "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            print(json.dumps(line, ensure_ascii=False), flush=True)
    finally:
        for worker in workers.values():
            worker.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--documents", type=int, default=0)
    parser.add_argument(
        "--skip-prepare", action="store_true", help="no migrate/demo/collectstatic first"
    )
    parser.add_argument("--compare", default="", help="another checkout to measure beside")
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--per-round", type=int, default=25)
    parser.add_argument(
        "--page-cache",
        action="store_true",
        help="page cache on, a new query string per render: the miss path (render + store)",
    )
    parser.add_argument("--profile", default="", help="a page name: print its cProfile")
    parser.add_argument("--profile-renders", type=int, default=200)
    parser.add_argument("--profile-lines", type=int, default=45)
    args = parser.parse_args()
    if args.page_cache:
        os.environ["BENCH_PAGE_CACHE"] = "1"
    if args.worker:
        worker()
        return
    if not args.skip_prepare:
        prepare(args.documents)
    if args.profile:
        os.environ.update(_environment(ROOT))
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        profile(_pick_paths()[args.profile], args.profile_renders, args.profile_lines)
        return
    measure(args)


if __name__ == "__main__":
    main()
