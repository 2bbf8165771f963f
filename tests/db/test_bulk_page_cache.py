"""An import's writes hold more of SQLite's page cache (db.bulk.larger_page_cache) and give
it back after, so the program's long-lived connection does not keep it; the CLI, which backs
up and ends, keeps it for that backup (Vault.keep_pages)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import db.imports.preview as preview_module
from db.audit import verify_chain
from db.bulk import larger_page_cache
from db.imports.detect import parse_file
from db.imports.preview import build_preview, commit_import
from db.permissions import SYSTEM
from db.schema import Pupil
from db.vault import Vault
from tests.db.imports.make_fixtures import make_csv

pytestmark = pytest.mark.sqlcipher_only


def _cache_size(vault) -> int:
    with vault.engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA cache_size").scalar()


def test_an_import_raises_the_page_cache_while_it_writes_and_puts_it_back(vault, monkeypatch):
    before = _cache_size(vault)
    assert before > -65_536
    seen = []
    real = preview_module.audit_many

    def audit_many(session, *args, **kwargs):
        seen.append(session.connection().exec_driver_sql("PRAGMA cache_size").scalar())
        return real(session, *args, **kwargs)

    monkeypatch.setattr(preview_module, "audit_many", audit_many)
    parsed, _ = parse_file(make_csv(30), "export.csv")
    with vault.session() as session:
        commit_import(session, SYSTEM, build_preview(session, SYSTEM, parsed))
    assert seen and set(seen) == {-65_536}
    assert _cache_size(vault) == before


def test_a_register_that_keeps_its_pages_keeps_them_after_an_import(vault):
    vault.keep_pages()
    with vault.session() as session, larger_page_cache(session.connection(), 1024):
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -65_536
    parsed, _ = parse_file(make_csv(30), "export.csv")
    with vault.session() as session:
        commit_import(session, SYSTEM, build_preview(session, SYSTEM, parsed))
    assert _cache_size(vault) == -65_536
    vault.close()  # the backup after it is whole: it opens, holds the pupils and verifies
    (copy,) = vault.list_backups()
    backup = Vault.open(copy)
    try:
        with backup.session() as session:
            assert session.scalar(select(func.count()).select_from(Pupil)) == 30
            assert verify_chain(session).ok
    finally:
        backup.close(backup=False)


def test_a_write_that_fails_puts_the_cache_back_and_raises_its_own_error(vault):
    before = _cache_size(vault)
    with pytest.raises(ZeroDivisionError), vault.session() as session, \
            larger_page_cache(session.connection()):
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -65_536
        raise ZeroDivisionError
    assert _cache_size(vault) == before
