"""Query plans of the busy public pages (issue 17 item 4), run inside the benchmark's stack.

``benchmarks.web`` passes this file's text to ``gongkai shell -c`` (the production settings and
database of the run) followed by ``main(paths, host)``. Each page is rendered once (a unique
query string, so no cache answers), every SELECT it ran is EXPLAIN ANALYZEd, and one JSON line
per page says how many queries it ran, their total execution time, the slowest three with the
plan's top node, and any sequential scan of the documents table (which at 1,000,000 documents
means seconds).
"""

from __future__ import annotations

import json


def _nodes(plan: dict) -> list[dict]:
    out = [plan]
    for child in plan.get("Plans", []):
        out.extend(_nodes(child))
    return out


def main(paths: dict[str, str], host: str) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # The statements core.prepared sends prepared carry $n placeholders in the captured text,
    # which EXPLAIN cannot run: this process sends them with client-side binding, so each one
    # is captured with its values and explained with them (the custom plan of those values).
    connection.close()
    connection.settings_dict.setdefault("OPTIONS", {}).pop("prepare_threshold", None)
    client = Client(HTTP_HOST=host)
    for page, path in paths.items():
        sep = "&" if "?" in path else "?"
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{path}{sep}_plan=1", secure=True)
        selects = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].lstrip("( ").upper().startswith("SELECT")  # "(SELECT …) UNION ALL …"
        ]
        explained = []
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                raw = cursor.fetchone()[0]
                plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
                nodes = _nodes(plan["Plan"])
                explained.append(
                    {
                        "ms": round(plan["Execution Time"], 2),
                        "top": plan["Plan"]["Node Type"],
                        "seq_scans": sorted(
                            {n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"}
                        ),
                        "sql": sql[:160],
                    }
                )
        slowest = sorted(explained, key=lambda e: -e["ms"])[:3]
        print(
            "PLAN "
            + json.dumps(
                {
                    "page": page,
                    "path": path,
                    "status": response.status_code,
                    "queries": len(ctx.captured_queries),
                    "selects_total_ms": round(sum(e["ms"] for e in explained), 2),
                    "documents_seq_scan": any(
                        "catalogue_informationitem" in e["seq_scans"] for e in explained
                    ),
                    "slowest": slowest,
                    "method": "EXPLAIN (ANALYZE) of every SELECT one render ran, warm, "
                    "production settings (statements not prepared: their plans for these "
                    "values), after ANALYZE",
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
