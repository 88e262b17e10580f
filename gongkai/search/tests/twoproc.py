"""Helper run as a separate app-server process by test_two_process.py. It reads commands from
stdin and answers one JSON line each, keeping its engine (and index directory) between them.

    python -m gongkai.search.tests.twoproc      # env: DATABASE_URL, GONGKAI_SEARCH_DIR
    publish <title> | withdraw <pk> | query <q> | quit
"""

import json
import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    import django

    django.setup()
    from gongkai.accounts.models import Organisation
    from gongkai.catalogue.models import InformationItem
    from gongkai.search.engine import get_engine
    from gongkai.search.selectors import run_search

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        mode, _, arg = line.rstrip("\n").partition(" ")
        out: dict = {}
        started = time.perf_counter()
        if mode == "quit":
            break
        if mode == "publish":
            org, _created = Organisation.objects.get_or_create(
                code="TWOPROC", defaults={"name": "两进程测试局", "kind": "department"}
            )
            item = InformationItem.objects.create(
                index_number=f"TP-{time.time_ns()}", organisation=org, title=arg, status="published"
            )
            out["pk"] = item.pk
        elif mode == "withdraw":
            item = InformationItem.objects.get(pk=int(arg))
            item.status = "withdrawn"
            item.save()
        elif mode == "query":
            page = run_search(user=None, q=arg)
            out["keys"] = [h["key"] for h in page.hits]
            out["titles"] = [h["title"] for h in page.hits]
            out["applied"] = get_engine().read_state()["applied"]
            out["dir"] = str(get_engine().base)
        out["ms"] = round((time.perf_counter() - started) * 1000, 2)
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
