"""Subscription fan-out at scale: `python -m benchmarks.subscriptions [--subscriptions N]`
(default 1,000,000; issue 14).

Builds a benchmark database under var/bench/ (SQLite unless DATABASE_URL is set) with N
subscriptions of 200,000 public accounts — 主题 35 %, 服务对象 5 %, 发布机构 20 %, 文件类型 2 %,
关键词 18 %, single policies 10 %, saved searches 10 % (one to three facets of one to three
values each) — half of the accounts with a confirmed mail address, deliveries inbox 80 %,
immediate 10 %, daily 7 %, weekly 3 %. Then, for each of ``--items`` newly published policies
(each with a sub-topic, two 服务对象 and two keywords of the vocabulary in its title):

- ``match``: ``selectors.subscriptions_for_item`` — the one query that finds every
  subscription the item answers — evaluated to ids (best and median over the items);
- ``fan_out``: ``services.inbox_deliver_item`` — that query plus one inbox entry per account
  (bulk insert), as the ``content_published`` receiver runs it;

and once: ``digest_daily`` / ``digest_weekly`` / ``immediate``: ``services.mail_send_due`` for the
entries the fan-outs wrote (mails through Django's locmem backend, each in the transaction that
records its ``Delivery`` rows), then the same run again (nothing left to send). Prints JSON lines
only; the database is reused between runs (the published items and their entries are removed
first).
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

USERS = 200_000
FEED_PREFIX = "bench-"  # the benchmark's subscriptions, found again on the next run
VOCAB_A = "补创就人科技养医教住农税企文旅交水环"
VOCAB_B = "贴业才新研保老疗育房业费融化游通利境"


def emit(**fields: object) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def vocabulary() -> list[str]:
    return [a + b for a in VOCAB_A for b in VOCAB_B]


def _fill_users(User, transaction) -> list[int]:
    from django.contrib.auth.hashers import make_password

    unusable = make_password(None)  # no hashing: these accounts never log in
    existing = User.objects.filter(username__startswith="bench-sub-").count()
    if existing < USERS:
        for start in range(existing, USERS, 20_000):
            batch = [
                User(username=f"bench-sub-{n:06d}", password=unusable, kind="public")
                for n in range(start, min(start + 20_000, USERS))
            ]
            with transaction.atomic():
                User.objects.bulk_create(batch, batch_size=2_000)
    return list(
        User.objects.filter(username__startswith="bench-sub-")
        .order_by("id")
        .values_list("id", flat=True)
    )


def _fill_addresses(MailAddress, users, transaction) -> None:
    if MailAddress.objects.filter(email__endswith="@bench.example").exists():
        return
    now = datetime.now().astimezone()
    rows = [
        MailAddress(user_id=u, email=f"u{u}@bench.example", confirmed_at=now)
        for n, u in enumerate(users)
        if n % 2 == 0
    ]
    with transaction.atomic():
        MailAddress.objects.bulk_create(rows, batch_size=2_000)


def _one(rng, n, users, refs, Subscription, SavedSearchValue):
    """One subscription (and its saved-search values)."""
    user = users[n % len(users)]
    delivery = rng.choices(["inbox", "immediate", "daily", "weekly"], [80, 10, 7, 3])[0]
    roll = rng.random()
    fields: dict = {"user_id": user, "delivery": delivery}
    values: list[tuple[str, str]] = []
    if roll < 0.35:
        fields.update(kind="topic", topic_id=rng.choice(refs["topics"]))
    elif roll < 0.40:
        fields.update(kind="audience", audience_id=rng.choice(refs["audiences"]))
    elif roll < 0.60:
        fields.update(kind="organisation", organisation_id=rng.choice(refs["orgs"]))
    elif roll < 0.62:
        fields.update(kind="policy_kind", policy_kind=rng.choice(["rule", "normative", "other"]))
    elif roll < 0.80:
        fields.update(kind="keyword", keyword=rng.choice(refs["words"]))
    elif roll < 0.90:
        fields.update(kind="policy", policy_id=rng.choice(refs["policies"]))
    else:
        pools = {
            "topic": refs["top_topics"],
            "audience": refs["audiences"],
            "organisation": refs["orgs"],
            "policy_kind": ["rule", "normative", "other"],
            "keyword": refs["words"],
        }
        facets = rng.sample(list(pools), rng.randint(1, 3))
        for facet in facets:
            count = 1 if facet == "keyword" else rng.randint(1, 3)
            for value in rng.sample(pools[facet], min(count, len(pools[facet]))):
                values.append((facet, str(value)))
        fields.update(kind="search", facet_count=len(facets), label="基准检索条件")
    return Subscription(**fields, feed_token=f"{FEED_PREFIX}{n:09d}"), values


def _fill_subscriptions(args, users, refs, Subscription, SavedSearchValue, transaction) -> None:
    existing = Subscription.objects.filter(feed_token__startswith=FEED_PREFIX).count()
    if existing >= args.subscriptions:
        return
    started = time.perf_counter()
    rng = random.Random(20261129 + existing)
    for start in range(existing, args.subscriptions, 20_000):
        made = [
            _one(rng, n, users, refs, Subscription, SavedSearchValue)
            for n in range(start, min(start + 20_000, args.subscriptions))
        ]
        with transaction.atomic():
            subs = Subscription.objects.bulk_create([s for s, _v in made], batch_size=2_000)
            SavedSearchValue.objects.bulk_create(
                [
                    SavedSearchValue(subscription_id=s.pk, facet=f, value=v)
                    for s, (_x, values) in zip(subs, made, strict=True)
                    for f, v in values
                ],
                batch_size=2_000,
            )
        print(f"{start + len(made)} subscriptions", file=sys.stderr)
    emit(
        step="fill",
        subscriptions=args.subscriptions,
        saved_search_values=SavedSearchValue.objects.count(),
        seconds=round(time.perf_counter() - started, 1),
    )


def _policies(InformationItem, orgs, transaction, n_policies: int = 2_000) -> list[int]:
    existing = list(
        InformationItem.objects.filter(index_number__startswith="BENCH-SUB/").values_list(
            "id", flat=True
        )
    )
    if existing:
        return existing
    items = [
        InformationItem(
            index_number=f"BENCH-SUB/{n:06d}",
            organisation_id=orgs[n % len(orgs)],
            title=f"基准订阅政策{n}",
            published_date=date(2025, 1, 1) + timedelta(days=n % 300),
            policy_kind="normative",
            status="published",
            disclosure="proactive",
            validity="valid",
        )
        for n in range(n_policies)
    ]
    with transaction.atomic():
        InformationItem.objects.bulk_create(items, batch_size=1_000)
    return list(
        InformationItem.objects.filter(index_number__startswith="BENCH-SUB/").values_list(
            "id", flat=True
        )
    )


def _new_items(args, refs, InformationItem, TopicCategory) -> list:
    """The policies "published" during the run (removed again first, with their entries)."""
    from gongkai.subscriptions.models import Delivery, InboxEntry

    old = InformationItem.objects.filter(index_number__startswith="BENCH-NEW/")
    # Plain DELETEs (no per-row cascade in Python): the last run's entries and mails.
    Delivery.objects.filter(entry__item__in=old)._raw_delete(Delivery.objects.db)
    InboxEntry.objects.filter(item__in=old)._raw_delete(InboxEntry.objects.db)
    old.delete()
    rng = random.Random(7)
    children = list(TopicCategory.objects.filter(parent__isnull=False).values_list("id", flat=True))
    items = []
    for n in range(args.items):
        words = rng.sample(refs["words"], 2)
        item = InformationItem.objects.create(
            index_number=f"BENCH-NEW/{n:04d}",
            organisation_id=rng.choice(refs["orgs"]),
            title=f"关于{words[0]}和{words[1]}的若干措施（{n}）",
            published_date=date(2026, 11, 30),
            policy_kind=rng.choice(["rule", "normative", "other"]),
            topic_id=rng.choice(children),
            status="published",
            disclosure="proactive",
            validity="valid",
        )
        item.audiences.set(rng.sample(refs["audiences"], 2))
        items.append(item)
    return items


def _setup(args):
    from django.core.management import call_command
    from django.db import transaction

    from gongkai.accounts.models import Organisation, User
    from gongkai.catalogue.models import Audience, InformationItem, TopicCategory
    from gongkai.subscriptions.models import MailAddress, SavedSearchValue, Subscription

    call_command("migrate", verbosity=0)
    city, _ = Organisation.objects.get_or_create(
        code="BENCH-CITY", defaults={"name": "基准测试市人民政府", "kind": "government"}
    )
    orgs = [city.pk]
    for n in range(49):
        org, _ = Organisation.objects.get_or_create(
            code=f"BENCH-S{n:02d}",
            defaults={"name": f"基准测试部门{n}", "kind": "department", "parent": city},
        )
        orgs.append(org.pk)
    users = _fill_users(User, transaction)
    _fill_addresses(MailAddress, users, transaction)
    refs = {
        "orgs": orgs,
        "topics": list(TopicCategory.objects.values_list("id", flat=True)),
        "top_topics": list(
            TopicCategory.objects.filter(parent__isnull=True).values_list("id", flat=True)
        ),
        "audiences": list(Audience.objects.values_list("id", flat=True)),
        "words": vocabulary(),
        "policies": _policies(InformationItem, orgs, transaction),
    }
    _fill_subscriptions(args, users, refs, Subscription, SavedSearchValue, transaction)
    call_command("db_optimize", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
    return refs, InformationItem, TopicCategory


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _fan_out(args, items, subscriptions_for_item, inbox_deliver_item, InboxEntry) -> None:
    match_times, fan_times, matched, written = [], [], [], []
    for item in items:
        # like with like: the query alone, then the whole fan-out, for the same item
        started = time.perf_counter()
        ids = list(subscriptions_for_item(item).values_list("id", flat=True))
        match_times.append(time.perf_counter() - started)
        matched.append(len(ids))
        started = time.perf_counter()
        written.append(inbox_deliver_item(item))
        fan_times.append(time.perf_counter() - started)
    common = {"subscriptions": args.subscriptions, "items": len(items)}
    emit(
        step="match",
        method="subscriptions_for_item → ids, one query per item",
        **common,
        matched_median=int(_median(matched)),
        best_s=round(min(match_times), 3),
        median_s=round(_median(match_times), 3),
    )
    emit(
        step="fan_out",
        method="inbox_deliver_item: the query + bulk insert of the inbox entries",
        **common,
        entries_median=int(_median(written)),
        entries_total=InboxEntry.objects.filter(item__in=items).count(),
        best_s=round(min(fan_times), 3),
        median_s=round(_median(fan_times), 3),
    )


def _digests(args, mail_send_due) -> None:
    from django.core import mail
    from django.utils import timezone

    now = timezone.localtime()
    tomorrow = (now + timedelta(days=1)).replace(hour=7, minute=30)
    monday = (now + timedelta(days=7 - now.weekday())).replace(hour=7, minute=40)
    for mode, at in (("immediate", now), ("daily", tomorrow), ("weekly", monday)):
        for attempt in ("first", "again"):
            mail.outbox = []
            started = time.perf_counter()
            sent = mail_send_due(mode=mode, now=at)
            emit(
                step=f"mail_{mode}",
                run=attempt,
                method="mail_send_due (locmem backend; one transaction per mail)",
                subscriptions=args.subscriptions,
                mails=sent,
                seconds=round(time.perf_counter() - started, 2),
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=7)
    args = parser.parse_args()

    root = Path(__file__).resolve().parent.parent
    bench_dir = root / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    db_file = bench_dir / f"subscriptions-{args.subscriptions}.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_file}")
    os.environ.setdefault("GONGKAI_VAR_DIR", str(bench_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    os.environ["GONGKAI_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    from gongkai.subscriptions.models import InboxEntry
    from gongkai.subscriptions.selectors import subscriptions_for_item
    from gongkai.subscriptions.services import inbox_deliver_item, mail_send_due

    refs, InformationItem, TopicCategory = _setup(args)
    emit(step="load", loadavg=[round(x, 2) for x in os.getloadavg()])
    items = _new_items(args, refs, InformationItem, TopicCategory)
    # warm-up (not measured): page cache and the query plan of one more item
    list(subscriptions_for_item(items[0]).values_list("id", flat=True))
    _fan_out(args, items, subscriptions_for_item, inbox_deliver_item, InboxEntry)
    _digests(args, mail_send_due)
    emit(step="load", loadavg=[round(x, 2) for x in os.getloadavg()])


if __name__ == "__main__":
    main()
