"""`gongkai backup DIR` / `gongkai restore DIR`: the whole platform — every table and every
media file — into a directory with a manifest, and back onto an empty database.

Design and the reasons for it: docs/adr/0004-backup-restore.md. In short: the database goes
through Django's own serializer (``dumpdata`` as JSON lines, gzip-compressed, streamed both
ways), so a backup does not depend on the engine or on client tools matching the server
version, and a SQLite installation can move to PostgreSQL by backup and restore. The manifest
pins what a restore must match (migrations, the PII key) and what it must reproduce (rows per
table, SHA-256 of every file).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import signals
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "gongkai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILE = "database.jsonl.gz"
MEDIA_DIR = "media"
# Personal files kept outside the media root (GONGKAI_PRIVATE_DIR: identity documents,
# 依申请公开 letters and notices).
PRIVATE_DIR = "private"
CHUNK = 1024 * 1024

# Tables that a fresh `gongkai migrate` fills by itself: content types and permissions
# (post_migrate) and the reference data the migrations seed (gongkai.core.seeding). A target
# database holding rows only here is still "empty"; the restore replaces them with the
# backup's own rows. test_backup pins this list against a freshly migrated database.
REFERENCE_TABLES = frozenset(
    {
        "django_content_type",
        "auth_permission",
        "catalogue_audience",
        "catalogue_column",
        "catalogue_page",
        "catalogue_topiccategory",
        "foi_replytemplate",
        "policies_qualification",  # 企业资质 list of 政策找人 (issue 14)
        "review_article20category",
        "review_article20category_columns",
        "search_databaseidentity",  # one row: the identity search indexes are stamped with
        "workdays_calendaryear",
        "workdays_calendarday",
    }
)


class BackupError(Exception):
    """A backup or restore refused; the message says what and where, in Chinese."""


# ------------------------------------------------------------------------------ facts


def platform_version() -> str:
    try:
        return metadata.version("gongkai")
    except metadata.PackageNotFoundError:  # a source tree without `pip install -e .`
        return "unknown"


def database_facts() -> dict[str, str]:
    connection.ensure_connection()
    version = ".".join(str(part) for part in connection.get_database_version())
    return {"vendor": connection.vendor, "version": version}


def pii_key_fingerprint() -> str:
    """Applicants' ID numbers, phones and addresses are SM4-encrypted under GONGKAI_PII_KEY,
    which is not in the database: data restored under another key cannot be read."""
    from .crypto import key_fingerprint

    return key_fingerprint()


def model_tables() -> list[str]:
    """Every table of an installed model (auto-created many-to-many tables included)."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables.add(meta.db_table)
    return sorted(tables)


def table_counts(tables: list[str] | None = None) -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in tables if tables is not None else model_tables():
            if table not in existing:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (quoted name)
            counts[table] = int(cursor.fetchone()[0])
    return counts


def code_migrations() -> list[str]:
    """The migrations this version of the platform ships (what `migrate` leads to)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes)


def applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashed(src: Path, dst: Path) -> tuple[str, int]:
    """Copy while hashing the bytes written, so the checksum is of what the backup holds."""
    digest = hashlib.sha256()
    size = 0
    dst.parent.mkdir(parents=True, exist_ok=True)
    with src.open("rb") as reader, dst.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    shutil.copystat(src, dst)
    return digest.hexdigest(), size


def _files_under(root: Path) -> Iterator[Path]:
    if not root.exists():
        return
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in sorted(filenames):
            yield Path(dirpath) / name


# ------------------------------------------------------------------------------ backup


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One read transaction for the dump and the counts, so they describe the same moment
    while the site keeps writing: REPEATABLE READ on PostgreSQL; on SQLite a deferred
    transaction, which in WAL mode reads a snapshot without taking the write lock (the
    project's `atomic` begins IMMEDIATE, which would make every writer wait for the dump)."""
    if connection.in_atomic_block:  # already inside a transaction (tests): read within it
        yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # nothing was written
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def backup(target: Path) -> dict[str, Any]:
    """Write the database dump, the media files and the manifest into ``target`` (new or
    empty). The manifest is written last: a directory without one is an unfinished backup."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(
            _("备份目录 %(dir)s 已存在且不为空：请指定一个新的或空的目录。") % {"dir": target}
        )
    target.mkdir(parents=True, exist_ok=True)
    dump = target / DATABASE_FILE
    with _snapshot():
        migrations = applied_migrations()
        missing = sorted(set(code_migrations()) - set(migrations))
        if missing:
            raise BackupError(
                _("数据库尚未迁移到当前版本（缺少 %(names)s）：请先运行 gongkai migrate 再备份。")
                % {"names": "、".join(missing[:5])}
            )
        counts = table_counts()
        # Every row of every model: the base manager, so no default-manager filter hides rows.
        call_command(
            "dumpdata",
            format="jsonl",
            output=str(dump),
            use_base_manager=True,
            verbosity=0,
        )
    files = [{"path": DATABASE_FILE, "sha256": _sha256(dump), "size": dump.stat().st_size}]
    media_root = Path(settings.MEDIA_ROOT)
    media_bytes = 0
    for src in _files_under(media_root):
        rel = src.relative_to(media_root).as_posix()
        sha, size = _copy_hashed(src, target / MEDIA_DIR / rel)
        files.append({"path": f"{MEDIA_DIR}/{rel}", "sha256": sha, "size": size})
        media_bytes += size
    private_root = Path(settings.GONGKAI_PRIVATE_DIR)
    for src in _files_under(private_root):
        rel = src.relative_to(private_root).as_posix()
        sha, size = _copy_hashed(src, target / PRIVATE_DIR / rel)
        files.append({"path": f"{PRIVATE_DIR}/{rel}", "sha256": sha, "size": size})
        media_bytes += size
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "platform_version": platform_version(),
        "django_version": django.get_version(),
        "python_version": platform.python_version(),
        "database": database_facts(),
        "migrations": migrations,
        "pii_key_fingerprint": pii_key_fingerprint(),
        "tables": counts,
        "rows": sum(counts.values()),
        "media_files": len(files) - 1,
        "media_bytes": media_bytes,
        "files": files,
    }
    partial = target / (MANIFEST + ".partial")
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    partial.replace(target / MANIFEST)
    return manifest


# ------------------------------------------------------------------------------ restore


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    rows: int
    media_files: int


def read_manifest(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(dir)s 中没有 %(name)s：这不是一个完整的备份目录。")
            % {"dir": source, "name": MANIFEST}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(
            _("备份清单 %(path)s 无法解析：%(error)s") % {"path": path, "error": exc}
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(path)s 不是本平台的备份清单。") % {"path": path})
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("备份格式版本 %(found)s 不受支持（本版本支持 %(supported)s）。")
            % {"found": manifest.get("format_version"), "supported": FORMAT_VERSION}
        )
    for key in ("files", "tables", "migrations", "pii_key_fingerprint"):
        if key not in manifest:
            raise BackupError(_("备份清单缺少“%(key)s”项：清单已损坏。") % {"key": key})
    return manifest


def _safe_relative(path: str) -> bool:
    parts = Path(path).parts
    return bool(parts) and not Path(path).is_absolute() and ".." not in parts


def verify_files(source: Path, manifest: dict[str, Any]) -> None:
    """Every listed file present with its size and SHA-256, nothing unlisted beside them."""
    source = Path(source)
    listed: set[str] = set()
    problems: list[str] = []
    for entry in manifest["files"]:
        rel = str(entry.get("path", ""))
        if not _safe_relative(rel) or not (
            rel == DATABASE_FILE or rel.startswith((MEDIA_DIR + "/", PRIVATE_DIR + "/"))
        ):
            problems.append(_("清单中的路径不合法：%(path)s") % {"path": rel})
            continue
        listed.add(rel)
        path = source / rel
        if not path.is_file():
            problems.append(_("缺少文件：%(path)s") % {"path": rel})
        elif path.stat().st_size != entry.get("size"):
            problems.append(
                _("文件大小不符：%(path)s（清单 %(expected)s 字节，实际 %(actual)s 字节）")
                % {"path": rel, "expected": entry.get("size"), "actual": path.stat().st_size}
            )
        elif _sha256(path) != entry.get("sha256"):
            problems.append(_("校验和（SHA-256）不符：%(path)s") % {"path": rel})
    if DATABASE_FILE not in listed:
        problems.append(_("清单中没有数据库文件 %(name)s") % {"name": DATABASE_FILE})
    for path in _files_under(source):
        rel = path.relative_to(source).as_posix()
        if rel != MANIFEST and rel not in listed:
            problems.append(_("清单之外的文件：%(path)s") % {"path": rel})
    if problems:
        raise BackupError(_("备份文件校验失败，未写入任何数据：") + "；".join(problems[:20]))


def verify_compatible(manifest: dict[str, Any]) -> None:
    if manifest["pii_key_fingerprint"] != pii_key_fingerprint():
        raise BackupError(
            _(
                "个人信息加密密钥（GONGKAI_PII_KEY）与备份时不同：用此密钥恢复后，申请人的证件号码、"
                "电话和地址将无法解密。请设置备份时使用的密钥后再恢复。"
            )
        )
    expected, shipped = set(manifest["migrations"]), set(code_migrations())
    if expected != shipped:
        newer = sorted(expected - shipped)
        older = sorted(shipped - expected)
        detail = []
        if newer:
            detail.append(_("备份中有本版本没有的迁移：%(n)s") % {"n": "、".join(newer[:5])})
        if older:
            detail.append(_("本版本有备份中没有的迁移：%(n)s") % {"n": "、".join(older[:5])})
        raise BackupError(
            _(
                "备份来自平台版本 %(backup)s，与当前版本 %(current)s 的数据库结构不同"
                "（%(detail)s）。"
                "请用与备份相同的版本恢复，恢复后再升级并运行 gongkai migrate。"
            )
            % {
                "backup": manifest.get("platform_version", "?"),
                "current": platform_version(),
                "detail": "；".join(detail),
            }
        )


def verify_empty_target() -> None:
    """Refuse to restore over data: only what a fresh `migrate` creates may be there."""
    counts = table_counts()
    occupied = {t: n for t, n in counts.items() if n and t not in REFERENCE_TABLES}
    if occupied:
        listed = "、".join(f"{t}（{n} 行）" for t, n in sorted(occupied.items())[:8])
        raise BackupError(
            _(
                "目标数据库不是空库，已有数据：%(tables)s。恢复只能写入新建的空数据库，"
                "以免覆盖现有数据；请新建数据库并设置 DATABASE_URL 后再恢复。"
            )
            % {"tables": listed}
        )
    media_root = Path(settings.MEDIA_ROOT)
    present = next(_files_under(media_root), None)
    if present is not None:
        raise BackupError(
            _("媒体文件目录 %(dir)s 不为空（例如 %(file)s）：请指定一个空的 GONGKAI_MEDIA_ROOT。")
            % {"dir": media_root, "file": present.relative_to(media_root).as_posix()}
        )


MODEL_SIGNALS = (
    signals.pre_save,
    signals.post_save,
    signals.pre_delete,
    signals.post_delete,
    signals.m2m_changed,
)


@contextlib.contextmanager
def _model_signals_muted() -> Iterator[None]:
    """A restore writes the rows exactly as they were: no receiver may derive data from them
    (loaddata marks saves raw, but not the many-to-many sets, which would add rows to the
    search change log). The search index is rebuilt afterwards instead."""
    saved = [(s, s.receivers, s.sender_receivers_cache) for s in MODEL_SIGNALS]
    try:
        for s in MODEL_SIGNALS:
            s.receivers = []
            s.sender_receivers_cache = {}
        yield
    finally:
        for s, receivers, cache in saved:
            s.receivers = receivers
            s.sender_receivers_cache = cache


def _flush_all_tables() -> None:
    tables = [t for t in model_tables() if t in set(connection.introspection.table_names())]
    sql = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=False)
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def restore(source: Path, *, acting_user: Any = None, migrate: bool = True) -> RestoreResult:
    """Check everything first (manifest, checksums, key, migrations, an empty target), then
    migrate, load every row and copy the media in one transaction, and rebuild the search
    index. A failure leaves the database as it was and removes the media files copied."""
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEntry
    from .services import audit_record

    source = Path(source)
    manifest = read_manifest(source)
    verify_files(source, manifest)
    verify_compatible(manifest)
    verify_empty_target()

    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    media_root = Path(settings.MEDIA_ROOT)
    copied: list[Path] = []
    try:
        with transaction.atomic():
            with _model_signals_muted():
                _flush_all_tables()
                call_command("loaddata", str(source / DATABASE_FILE), verbosity=0)
            ContentType.objects.clear_cache()
            counts = table_counts(sorted(manifest["tables"]))
            wrong = {
                t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n
            }
            if wrong:
                raise BackupError(
                    _("恢复后行数与备份清单不符，已撤销：%(tables)s")
                    % {
                        "tables": "、".join(
                            f"{t}（清单 {a}，恢复 {b}）" for t, (a, b) in sorted(wrong.items())[:8]
                        )
                    }
                )
            roots = {MEDIA_DIR: media_root, PRIVATE_DIR: Path(settings.GONGKAI_PRIVATE_DIR)}
            for entry in manifest["files"]:
                rel = entry["path"]
                top, _sep, inner = rel.partition("/")
                if top not in roots or not inner:
                    continue
                dst = roots[top] / inner
                copied.append(dst)
                sha, _size = _copy_hashed(source / rel, dst)
                if sha != entry["sha256"]:
                    raise BackupError(_("复制后校验和不符：%(path)s") % {"path": rel})
            audit_record(
                action=AuditEntry.Action.IMPORT,
                acting_user=acting_user,
                target_label=_("从备份恢复"),
                detail={
                    "backup_created_at": manifest.get("created_at"),
                    "platform_version": manifest.get("platform_version"),
                    "database": manifest.get("database"),
                    "rows": sum(manifest["tables"].values()),
                    "media_files": len(copied),
                },
            )
    except BaseException:
        for path in copied:
            path.unlink(missing_ok=True)
        raise
    # Every server's index must be rebuilt from the restored rows (loaddata wrote no change
    # log entries). The restored identity row is the dumped database's, so the database gets
    # a new one: this server rebuilds now, every other server before its next answer (its
    # index no longer matches; ADR 0002 addendum 3).
    call_command("reindex", new_database_identity=True, verbosity=0)
    return RestoreResult(
        manifest=manifest, rows=sum(manifest["tables"].values()), media_files=len(copied)
    )


__all__ = [
    "REFERENCE_TABLES",
    "BackupError",
    "RestoreResult",
    "backup",
    "read_manifest",
    "restore",
]
