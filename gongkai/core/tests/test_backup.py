"""`gongkai backup` / `gongkai restore`: a demo world round-trips into a fresh database with
the same rows per table and the same media files; a restore refuses (writing nothing) onto a
database with data, from a tampered backup, or under another PII key."""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from gongkai.accounts.tests.factories import OrganisationFactory
from gongkai.core.backup import REFERENCE_TABLES, BackupError, restore
from gongkai.core.models import AuditEntry
from gongkai.core.seeding import reseed_reference_data


@pytest.fixture(autouse=True)
def isolated_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_PRIVATE_DIR = tmp_path / "private"
    settings.GONGKAI_SEARCH_DIR = tmp_path / "search"
    return tmp_path


def rows_per_model() -> dict[str, int]:
    """Counted through the ORM, independently of the backup module's own SQL counts."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.count()
    return counts


def media_checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def make_fresh_database(media_root: Path) -> None:
    """What `gongkai migrate` leaves on a new server: content types, permissions and the
    seeded reference data, no media files."""
    call_command("flush", interactive=False, verbosity=0)
    reseed_reference_data()
    if media_root.exists():
        shutil.rmtree(media_root)


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_a_freshly_migrated_database_holds_only_reference_tables():
    filled = {table for table, n in rows_per_model().items() if n}
    # The list the emptiness check trusts is exactly what migrations fill.
    assert filled == REFERENCE_TABLES


@pytest.mark.django_db(transaction=True)
def test_demo_world_round_trips_into_a_fresh_database(settings, tmp_path):
    from gongkai.catalogue.models import InformationItem
    from gongkai.demo.world import build_world
    from gongkai.foi.models import Case
    from gongkai.search.engine import SearchParams, Visibility, get_engine

    build_world()
    before = rows_per_model()
    media_before = media_checksums(Path(settings.MEDIA_ROOT))
    private_before = media_checksums(Path(settings.GONGKAI_PRIVATE_DIR))
    assert len(media_before) >= 3  # interpretation files of the demo
    # Reply letters live in the private folder (issue 19): backed up and restored as well.
    assert any(name.startswith("foi-letters/") for name in private_before)
    phones = dict(Case.objects.exclude(phone_enc="").values_list("reference", "phone_enc"))
    decrypted = {c.reference: c.phone for c in Case.objects.exclude(phone_enc="")}
    assert phones
    assert all(p.startswith("sm4:") for p in phones.values())
    title = InformationItem.objects.filter(status="published").order_by("pk").first().title

    target = tmp_path / "backup"
    out = run("backup", str(target))
    assert f"已备份到 {target}" in out
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == {t: n for t, n in before.items()}
    assert manifest["media_files"] == len(media_before) + len(private_before)
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert {k.removeprefix("media/"): v for k, v in listed.items() if k.startswith("media/")} == (
        media_before
    )
    assert {
        k.removeprefix("private/"): v for k, v in listed.items() if k.startswith("private/")
    } == private_before
    assert manifest["django_version"].startswith("6.")
    assert manifest["database"]["vendor"] in ("sqlite", "postgresql")
    assert "accounts.0001_initial" in manifest["migrations"]
    assert len(manifest["pii_key_fingerprint"]) == 32
    assert settings.GONGKAI_PII_KEY not in json.dumps(manifest)

    make_fresh_database(Path(settings.MEDIA_ROOT))
    shutil.rmtree(settings.GONGKAI_PRIVATE_DIR)
    assert InformationItem.objects.count() == 0
    out = run("restore", str(target))
    assert "已从" in out
    assert f"{manifest['rows']} 行数据" in out

    after = rows_per_model()
    restore_audit = AuditEntry.objects.order_by("-pk").first()
    assert restore_audit.target_label == "从备份恢复"
    expected = dict(before)
    expected[AuditEntry._meta.db_table] += 1  # the restore is itself recorded
    assert after == expected
    assert media_checksums(Path(settings.MEDIA_ROOT)) == media_before
    assert media_checksums(Path(settings.GONGKAI_PRIVATE_DIR)) == private_before
    # The same ciphertext, still readable under the same key.
    assert dict(Case.objects.exclude(phone_enc="").values_list("reference", "phone_enc")) == (
        phones
    )
    assert {c.reference: c.phone for c in Case.objects.exclude(phone_enc="")} == decrypted
    # The index was rebuilt from the restored rows.
    found = get_engine().search(
        SearchParams(q=title, filters={}, offset=0, limit=10), Visibility.public()
    )
    assert title in [hit.title for hit in found.hits]
    # New rows continue after the restored ids (sequences reset).
    from gongkai.accounts.models import Organisation

    top = Organisation.objects.order_by("-pk").first().pk
    created = OrganisationFactory.create(
        code="91330100MA0000001X", name="新机构", kind="department"
    )
    assert created.pk > top


def _small_world(org_tree, media_root: Path) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("attachments/2026/guide.txt", ContentFile("办事指南".encode()))
    assert (media_root / "attachments/2026/guide.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data(settings, tmp_path, org_tree):
    media_root = Path(settings.MEDIA_ROOT)
    _small_world(org_tree, media_root)
    target = tmp_path / "backup"
    run("backup", str(target))
    before = rows_per_model()
    with pytest.raises(
        CommandError, match=r"目标数据库不是空库，已有数据：accounts_organisation（5 行）"
    ):
        run("restore", str(target))
    assert rows_per_model() == before
    assert media_checksums(media_root) == {
        "attachments/2026/guide.txt": hashlib.sha256("办事指南".encode()).hexdigest()
    }


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_media_left_in_the_target(settings, tmp_path, org_tree):
    media_root = Path(settings.MEDIA_ROOT)
    _small_world(org_tree, media_root)
    target = tmp_path / "backup"
    run("backup", str(target))
    call_command("flush", interactive=False, verbosity=0)
    reseed_reference_data()
    before = rows_per_model()
    with pytest.raises(
        BackupError, match=r"媒体文件目录 .* 不为空（例如 attachments/2026/guide.txt）"
    ):
        restore(target)
    assert rows_per_model() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (
            lambda d: (d / "media/attachments/2026/guide.txt").write_bytes("办事指北".encode()),
            r"校验和（SHA-256）不符：media/attachments/2026/guide.txt",
        ),
        (
            lambda d: (d / "media/attachments/2026/guide.txt").write_bytes(b"x"),
            r"文件大小不符：media/attachments/2026/guide.txt（清单 12 字节，实际 1 字节）",
        ),
        (
            lambda d: (d / "database.jsonl.gz").unlink(),
            r"缺少文件：database.jsonl.gz",
        ),
        (
            lambda d: (d / "media/extra.txt").write_text("x"),
            r"清单之外的文件：media/extra.txt",
        ),
        (
            lambda d: (d / "manifest.json").unlink(),
            r"中没有 manifest.json：这不是一个完整的备份目录",
        ),
    ],
    ids=["changed-bytes", "truncated", "missing-dump", "unlisted-file", "no-manifest"],
)
def test_restore_refuses_a_tampered_backup_and_writes_nothing(
    settings, tmp_path, org_tree, tamper, message
):
    media_root = Path(settings.MEDIA_ROOT)
    _small_world(org_tree, media_root)
    target = tmp_path / "backup"
    run("backup", str(target))
    make_fresh_database(media_root)
    tamper(target)
    fresh = rows_per_model()
    with pytest.raises(CommandError, match=message):
        run("restore", str(target))
    assert rows_per_model() == fresh
    assert not media_root.exists() or media_checksums(media_root) == {}


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_another_pii_key(settings, tmp_path, org_tree):
    media_root = Path(settings.MEDIA_ROOT)
    _small_world(org_tree, media_root)
    target = tmp_path / "backup"
    run("backup", str(target))
    make_fresh_database(media_root)
    fresh = rows_per_model()
    settings.GONGKAI_PII_KEY = "00112233445566778899aabbccddeeff"
    with pytest.raises(CommandError, match=r"个人信息加密密钥（GONGKAI_PII_KEY）与备份时不同"):
        run("restore", str(target))
    assert rows_per_model() == fresh


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_another_schema(settings, tmp_path, org_tree):
    media_root = Path(settings.MEDIA_ROOT)
    _small_world(org_tree, media_root)
    target = tmp_path / "backup"
    run("backup", str(target))
    make_fresh_database(media_root)
    manifest_path = target / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["migrations"].append("catalogue.9999_from_the_future")
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    fresh = rows_per_model()
    with pytest.raises(
        CommandError, match=r"备份中有本版本没有的迁移：catalogue.9999_from_the_future"
    ):
        run("restore", str(target))
    assert rows_per_model() == fresh


@pytest.mark.django_db
def test_backup_refuses_a_directory_with_files(tmp_path):
    target = tmp_path / "used"
    target.mkdir()
    (target / "old.txt").write_text("x")
    with pytest.raises(CommandError, match=r"备份目录 .*used 已存在且不为空"):
        run("backup", str(target))
    assert sorted(p.name for p in target.iterdir()) == ["old.txt"]


@pytest.mark.django_db
def test_restore_builds_a_new_sqlite_database_from_nothing(
    settings, tmp_path, org_tree, make_staff
):
    """The operator's path: `gongkai restore` in a new process against a database file that
    does not exist yet (when the suite runs on PostgreSQL, this also moves the data across
    engines)."""
    from gongkai.accounts.models import Role
    from gongkai.foi import services as foi_services
    from gongkai.foi.tests.conftest import application

    _small_world(org_tree, Path(settings.MEDIA_ROOT))
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    case, _code = foi_services.case_record(
        organisation=org_tree["finance"],
        data=application(),
        channel="in_person",
        arrived=datetime.date(2025, 9, 26),
        acting_user=handler,
    )
    before = rows_per_model()
    target = tmp_path / "backup"
    run("backup", str(target))
    database = tmp_path / "new.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "restore", str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert f"{sum(before.values())} 行数据，1 个媒体文件" in done.stdout
    with sqlite3.connect(database) as db:
        after = {
            table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in before
        }
        phone = db.execute("SELECT phone_enc FROM foi_case WHERE id = ?", [case.pk]).fetchone()[0]
    expected = dict(before)
    expected[AuditEntry._meta.db_table] += 1
    assert after == expected
    from gongkai.foi.models import Case

    assert phone == Case.objects.get(pk=case.pk).phone_enc != ""
    # A second run finds the data and refuses.
    again = subprocess.run(
        [sys.executable, "-m", "gongkai", "restore", str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 1
    assert "目标数据库不是空库" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_private_files_are_backed_up_and_restored_beside_the_media(settings, tmp_path, org_tree):
    from gongkai.core.storage import private_storage

    media_root = Path(settings.MEDIA_ROOT)
    private_root = Path(settings.GONGKAI_PRIVATE_DIR)
    _small_world(org_tree, media_root)
    private_storage().save("foi-identity/ab/scan.pdf", ContentFile(b"%PDF-1.7 id"))
    target = tmp_path / "backup"
    run("backup", str(target))
    manifest = json.loads((target / "manifest.json").read_text())
    paths = [f["path"] for f in manifest["files"]]
    assert "private/foi-identity/ab/scan.pdf" in paths
    assert not (target / "media/foi-identity").exists()
    make_fresh_database(media_root)
    shutil.rmtree(private_root)
    restore(target)
    assert (private_root / "foi-identity/ab/scan.pdf").read_bytes() == b"%PDF-1.7 id"
    assert media_checksums(media_root) == {
        "attachments/2026/guide.txt": hashlib.sha256("办事指南".encode()).hexdigest()
    }
