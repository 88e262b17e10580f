"""`gongkai demo --documents N`: synthetic information items for benchmarks, fast.

A million items must load within 15 minutes on a 2-core machine, so rows are generated in
batches and written with one multi-row ``executemany`` per table and batch inside a
transaction (the ORM's per-object overhead would dominate otherwise). Primary keys are
assigned here (max id + 1 …) so the many-to-many rows can be written without reading ids back;
on PostgreSQL the id sequence is moved past them afterwards. 索引号 are still reserved through
``index_numbers_allocate`` — one call per batch, organisation and year — so they never collide
with items created later through the services.
"""

import datetime
import multiprocessing
import os
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.models import InternalUnit, Organisation
from gongkai.catalogue.models import Audience, Column, Genre, InformationItem, TopicCategory
from gongkai.catalogue.services import index_numbers_allocate
from gongkai.core.signals import rows_written_send

from . import styles, texts
from .orgs import ORGS
from .world import ON_REQUEST_REASON, WITHHELD_REASONS

YEARS = list(range(2016, 2027))
YEAR_WEIGHTS = [1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 6]
NEWS_SUFFIX = ["", "", "", "（第{n}期）", "（图文）"]
SKIPPED_TOPICS = {"国务院组织机构", "国防", "港澳台侨工作", "对外事务", "民族、宗教", "其他"}
DOC_PREFIXES = {spec.name: spec.doc_prefix for spec in ORGS}
ORG_KEYS = {spec.name: spec.key for spec in ORGS}
# Share of a document's subjects drawn from its own organisation's (issue 18: an archive whose
# every department writes about everything is more self-similar than a real one).
OWN_SUBJECT_SHARE = 0.75
STATUS_PUBLISHED = InformationItem.Status.PUBLISHED


@dataclass(frozen=True)
class _Org:
    pk: int
    name: str
    short_name: str
    doc_prefix: str
    key: str = ""


class Generator:
    """Deterministic row generator; the same seed and offset give the same documents."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.orgs = [
            _Org(
                o.pk,
                o.name,
                o.short_name,
                DOC_PREFIXES.get(o.name, (o.short_name or o.name)[:2]),
                ORG_KEYS.get(o.name, ""),
            )
            for o in Organisation.objects.filter(is_active=True).order_by("id")
        ]
        if not self.orgs:
            raise RuntimeError("no organisations")
        self.units: dict[int, list[int]] = defaultdict(list)
        for unit in InternalUnit.objects.order_by("id"):
            self.units[unit.organisation_id].append(unit.pk)
        # Subjects: the demo's own (with their 主题分类) and the level-2 topic names of the
        # classes a city and its departments actually publish under.
        topic_ids = {
            (top, name): pk
            for pk, top, name in TopicCategory.objects.filter(parent__isnull=False).values_list(
                "pk", "parent__name", "name"
            )
        }
        self.topics: list[tuple[int, str]] = [
            (pk, name)
            for (top, name), pk in topic_ids.items()
            if top not in SKIPPED_TOPICS and name != "其他"
        ]
        self.subjects: list[tuple[int, str]] = [
            (topic_ids[path], subject) for subject, _, path in texts.SUBJECTS if path in topic_ids
        ] or self.topics
        self.own_subjects: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for subject, org_key, path in texts.SUBJECTS:
            if path in topic_ids:
                self.own_subjects[org_key].append((topic_ids[path], subject))
        self.audiences = list(Audience.objects.values_list("id", flat=True))
        self.columns = {c.slug: c.pk for c in Column.objects.all()}

    def _column(self, slug: str) -> list[int]:
        return [self.columns[slug]] if slug in self.columns else []

    def _subject(self, org: _Org) -> tuple[int, str]:
        """(topic, subject): mostly one of the organisation's own subjects."""
        rng = self.rng
        own = self.own_subjects.get(org.key)
        pick = rng.random()
        if own and pick < OWN_SUBJECT_SHARE:
            return rng.choice(own)
        return rng.choice(self.subjects if pick < 0.9 else self.topics)

    def row(self) -> dict:
        rng = self.rng
        org = rng.choice(self.orgs)
        year = rng.choices(YEARS, YEAR_WEIGHTS)[0]
        published = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
        topic_id, subject = self._subject(org)
        terms = styles.org_terms(org.key)
        slots = {
            "short": org.short_name or org.name,
            "lead": org.name,
            "date": f"{published:%-m月%-d日}",
            "year": str(year),
            "place": rng.choice(texts.PLACES),
        }
        short = org.short_name or org.name
        prefix = org.doc_prefix
        roll = rng.random()
        doc_number = ""
        policy_kind = ""
        columns: list[int] = []
        n = rng.randint(1, 99)
        if roll < 0.30:  # policy documents
            policy_kind = rng.choices(["normative", "other", "rule"], [50, 40, 10])[0]
            noun = rng.choice(texts.POLICY_NOUNS)
            if policy_kind == "rule":
                title = f"{org.name}{subject}{noun}"
                doc_number = (
                    f"{org.name.removesuffix('人民政府')}人民政府令第{rng.randint(1, 320)}号"
                )
                genre = Genre.ORDER
            elif policy_kind == "normative":
                title = f"{org.name}关于印发《杭东市{subject}{noun}》的通知"
                doc_number = f"{prefix}规〔{year}〕{n}号"
                genre = Genre.NOTICE
            else:
                title = f"{org.name}关于{subject}的实施意见"
                doc_number = f"{prefix}〔{year}〕{rng.randint(1, 260)}号"
                genre = Genre.OPINION
            columns = self._column("zcwj") + self._column("zdgk")
            paragraphs = texts.policy_articles(
                rng,
                subject=subject,
                noun=noun,
                lead=org.name,
                effective=f"{published:%Y年%-m月%-d日}",
            )
            paragraphs.insert(
                3, styles.sentences(rng, "policy", rng.randint(1, 3), slots=slots, terms=terms)
            )
            if rng.random() < 0.5:
                paragraphs += texts.prose(rng, 1, (1, 2))
        elif roll < 0.60:  # news
            about = subject if rng.random() < 0.5 else rng.choice(terms)
            title = short + texts.fill(rng.choice(texts.NEWS_ACTIONS), rng, s=about, y=str(year))
            title += rng.choice(NEWS_SUFFIX).format(n=n)
            genre = Genre.OTHER
            columns = self._column("dtyw")
            paragraphs = [
                f"{published:%-m月%-d日}，{short}围绕{subject}召开专题会议，"
                f"{texts.company_name(rng)}等{n}家单位代表参加。",
                *(
                    styles.sentences(rng, "news", rng.randint(2, 4), slots=slots, terms=terms)
                    for _ in range(rng.randint(1, 3))
                ),
                *texts.prose(rng, rng.randint(0, 2), (1, 2)),
            ]
        elif roll < 0.85:  # notices
            title = org.name + texts.fill(
                rng.choice(texts.NOTICE_ACTIONS),
                rng,
                s=subject if rng.random() < 0.6 else rng.choice(terms),
                y=str(year),
            )
            genre = Genre.NOTICE
            if rng.random() < 0.5:
                doc_number = f"{prefix}办〔{year}〕{rng.randint(1, 400)}号"
            columns = self._column("tzgg") + self._column("zdgk")
            paragraphs = [
                f"各有关单位：现就{subject}有关事项通知如下。",
                *styles.numbered(
                    [
                        styles.sentences(rng, "notice", rng.randint(1, 3), slots=slots, terms=terms)
                        for _ in range(rng.randint(2, 5))
                    ]
                ),
                *texts.prose(rng, rng.randint(0, 2), (1, 2)),
                f"联系人：{rng.choice('王李张刘陈杨赵黄周吴')}{rng.choice('晓建丽国海志文')}"
                f"{rng.choice('明华军红平燕强')}，电话：0571-87{rng.randint(100000, 999999)}。",
            ]
        else:  # catalogue reports
            what = rng.choice(
                ["部门预算", "部门决算", "政府信息公开工作年度报告", "统计公报", "工作总结"]
            )
            title = f"{org.name}{year}年{what}"
            genre = Genre.REPORT
            columns = self._column("zdgk")
            paragraphs = [
                *styles.numbered(
                    [
                        styles.sentences(rng, "report", rng.randint(2, 4), slots=slots, terms=terms)
                        for _ in range(rng.randint(2, 4))
                    ]
                ),
                *texts.prose(rng, rng.randint(1, 2), (1, 3)),
            ]
        if rng.random() < 0.08:
            columns += self._column(rng.choice(["wjjdp", "zqjk"]))
        validity: str = InformationItem.Validity.VALID
        if policy_kind and rng.random() < 0.12:
            validity = rng.choice(["repealed", "expired", "amended"])
        disclosure, reason = InformationItem.Disclosure.PROACTIVE, ""
        d = rng.random()
        if d < 0.02:
            disclosure, reason = InformationItem.Disclosure.ON_REQUEST, ON_REQUEST_REASON
        elif d < 0.03:
            disclosure, reason = InformationItem.Disclosure.WITHHELD, rng.choice(WITHHELD_REASONS)
        units = self.units.get(org.pk)
        return {
            "organisation_id": org.pk,
            "year": year,
            "unit_id": rng.choice(units) if units else None,
            "title": title[:300],
            "doc_number": doc_number,
            "written_date": published - datetime.timedelta(days=rng.randint(0, 15)),
            "published_date": published,
            "topic_id": topic_id,
            "genre": genre,
            "keywords": subject[:200],
            "summary": "",
            "body": texts.html_paragraphs(paragraphs),
            "body_text": "\n".join(paragraphs),
            "disclosure": disclosure,
            "disclosure_reason": reason,
            "validity": validity,
            "validity_date": published + datetime.timedelta(days=rng.randint(200, 900))
            if validity != "valid"
            else None,
            "policy_kind": policy_kind,
            "status": STATUS_PUBLISHED,
            "audiences": rng.sample(self.audiences, k=min(len(self.audiences), rng.randint(1, 2))),
            "columns": columns,
        }


THROUGH_A = ["informationitem_id", "audience_id"]
THROUGH_C = ["informationitem_id", "column_id"]


def _copy(cursor, table: str, columns: list[str], rows: list) -> None:
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_sql(table: str, columns: list[str]) -> str:
    # Table and column names come from model _meta, never from input.
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608


SET_HERE = [
    "id", "index_number", "organisation_id", "unit_id", "title", "doc_number", "written_date",
    "published_date", "topic_id", "genre", "keywords", "summary", "body", "body_text",
    "disclosure", "disclosure_reason", "validity", "validity_date", "replaced_by_id",
    "policy_kind", "status", "created_at", "updated_at",
]  # fmt: skip


@dataclass
class _Plan:
    """What a worker needs to turn generated rows into INSERT parameters (picklable)."""

    generator: Generator
    columns: list[str]
    defaults: dict
    first_id: int
    batch_size: int
    now: object
    dates_as_text: bool


_PLAN: _Plan | None = None


def _set_plan(plan: _Plan) -> None:
    # Per-process state of a pool worker (set once by the pool initializer).
    global _PLAN
    _PLAN = plan


def _batch(batch_no: int, size: int) -> tuple[list[list], list[tuple[int, int]], list, list]:
    """Generate one batch: item parameter rows (索引号 slot left empty), group keys, M2M rows.

    Runs in a worker process; ids are fixed by the batch number so no round trip is needed.
    """
    plan = _PLAN
    assert plan is not None
    generator = plan.generator
    generator.rng.seed(plan.generator.seed * 1_000_003 + batch_no)
    rng = generator.rng
    base = plan.first_id + batch_no * plan.batch_size
    index_pos = plan.columns.index("index_number")
    date_keys = ("written_date", "published_date", "validity_date")
    rows: list[list] = []
    keys: list[tuple[int, int]] = []
    audiences: list[tuple[int, int]] = []
    columns: list[tuple[int, int]] = []
    for offset in range(size):
        row = generator.row()
        pk = base + offset
        row["id"] = pk
        # Superseded policies point at another item of the same batch.
        row["replaced_by_id"] = (
            base + rng.randrange(size) if row["validity"] in ("repealed", "amended") else None
        )
        if plan.dates_as_text:
            for key in date_keys:
                if row[key] is not None:
                    row[key] = row[key].isoformat()
        row["created_at"] = row["updated_at"] = plan.now
        row["index_number"] = None
        values = [row[c] if c in row else plan.defaults[c] for c in plan.columns]
        values[index_pos] = None
        rows.append(values)
        keys.append((row["organisation_id"], row["year"]))
        audiences.extend((pk, a) for a in row["audiences"])
        columns.extend((pk, c) for c in dict.fromkeys(row["columns"]))
    return rows, keys, audiences, columns


@dataclass
class _Writer:
    """Writes one generated batch: index numbers first, then the rows (COPY on PostgreSQL)."""

    organisations: dict[int, Organisation]
    columns: list[str]
    is_sqlite: bool

    def __post_init__(self) -> None:
        model = InformationItem
        self.item_sql = _insert_sql(model._meta.db_table, self.columns)
        self.audience_sql = _insert_sql(model.audiences.through._meta.db_table, THROUGH_A)
        self.column_sql = _insert_sql(model.columns.through._meta.db_table, THROUGH_C)
        self.index_pos = self.columns.index("index_number")
        self.id_pos = self.columns.index("id")

    def __call__(self, result: tuple[list[list], list[tuple[int, int]], list, list]) -> int:
        rows, keys, audience_rows, column_rows = result
        model = InformationItem
        with transaction.atomic():
            self._number(rows, keys)
            with connection.cursor() as cursor:
                if self.is_sqlite:
                    cursor.executemany(self.item_sql, rows)
                    cursor.executemany(self.audience_sql, audience_rows)
                    cursor.executemany(self.column_sql, column_rows)
                else:
                    # A crash may lose the last batches, never corrupt anything; not waiting
                    # for the WAL flush at each commit keeps the load CPU-bound.
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                    # PostgreSQL: COPY is an order of magnitude faster than INSERT batches.
                    _copy(cursor, model._meta.db_table, self.columns, rows)
                    _copy(cursor, model.audiences.through._meta.db_table, THROUGH_A, audience_rows)
                    _copy(cursor, model.columns.through._meta.db_table, THROUGH_C, column_rows)
            # Raw SQL sends no post_save. One INSERT … SELECT queues the batch for every
            # server's search index; nothing is indexed after each commit (a backlog this large
            # is rebuilt rather than replayed, ADR 0002 addendum 3).
            ids = [row[self.id_pos] for row in rows]
            rows_written_send(
                model, model.objects.filter(pk__gte=min(ids), pk__lte=max(ids)), apply=False
            )
        return len(rows)

    def _number(self, rows: list[list], keys: list[tuple[int, int]]) -> None:
        """索引号 in blocks: one allocation per (organisation, year) of the batch."""
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for position, key in enumerate(keys):
            groups[key].append(position)
        for (org_id, year), positions in groups.items():
            numbers = index_numbers_allocate(
                organisation=self.organisations[org_id],
                on_date=datetime.date(year, 1, 1),
                count=len(positions),
            )
            for position, number in zip(positions, numbers, strict=True):
                rows[position][self.index_pos] = number


def _generated(
    batches: list[tuple[int, int]], workers: int, plan: _Plan
) -> Iterator[tuple[list[list], list[tuple[int, int]], list, list]]:
    """The batches in order, generated here (workers == 0) or by a pool of forked workers."""
    if workers == 0:
        _set_plan(plan)
        for no, size in batches:
            yield _batch(no, size)
        return
    # Fork after the plan is built: workers never touch the database.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_set_plan, initargs=(plan,)) as pool:
        pending: list[AsyncResult] = []
        queue = list(batches)
        # Keep at most workers + 1 batches in flight to bound memory.
        while queue or pending:
            while queue and len(pending) < workers + 1:
                pending.append(pool.apply_async(_batch, queue.pop(0)))
            yield pending.pop(0).get()


def _build_plan(seed: int, batch_size: int) -> _Plan:
    fields = list(InformationItem._meta.concrete_fields)
    # Columns added later by other apps keep their model default.
    defaults = {
        str(f.column): f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.column not in SET_HERE
    }
    return _Plan(
        generator=Generator(seed),
        columns=[str(f.column) for f in fields],
        defaults=defaults,
        first_id=(InformationItem.objects.aggregate(m=Max("id"))["m"] or 0) + 1,
        batch_size=batch_size,
        now=connection.ops.adapt_datetimefield_value(timezone.now()),
        dates_as_text=connection.vendor == "sqlite",
    )


def _sqlite_bulk_settings(*, on: bool) -> None:
    """Bulk-load settings for this connection only: a crash may lose the last batch, never
    corrupt the file (WAL keeps the database consistent)."""
    with connection.cursor() as cursor:
        if on:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
            cursor.execute("PRAGMA temp_store=MEMORY")
        else:
            cursor.execute("PRAGMA synchronous=NORMAL")


def _reset_item_sequence() -> None:
    """PostgreSQL: the id sequence past the ids written explicitly by COPY."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [InformationItem]):
            cursor.execute(sql)


def add_documents(
    count: int,
    *,
    seed: int = 1,
    batch_size: int = 20000,
    workers: int | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> int:
    """Insert ``count`` published synthetic items; returns how many were written.

    Worker processes generate the next batches while this process writes the current one,
    so both cores are busy (text generation costs about as much as the SQLite insert).
    """
    is_sqlite = connection.vendor == "sqlite"
    plan = _build_plan(seed, batch_size)
    writer = _Writer(
        organisations={o.pk: o for o in Organisation.objects.all()},
        columns=plan.columns,
        is_sqlite=is_sqlite,
    )
    batches = [
        (no, min(batch_size, count - no * batch_size))
        for no in range((count + batch_size - 1) // batch_size)
    ]
    if workers is None:
        workers = 0 if count <= batch_size else min(2, os.cpu_count() or 1)

    tune_sqlite = is_sqlite and not connection.in_atomic_block
    if tune_sqlite:
        _sqlite_bulk_settings(on=True)

    started = time.monotonic()
    written = 0
    try:
        for result in _generated(batches, workers, plan):
            written += writer(result)
            if progress is not None:
                progress(written, time.monotonic() - started)
    finally:
        if tune_sqlite:
            _sqlite_bulk_settings(on=False)
        elif not is_sqlite:
            _reset_item_sequence()
    return written
