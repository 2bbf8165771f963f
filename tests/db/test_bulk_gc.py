"""Bulk paths pause Python's cyclic garbage collector (db.bulk.cyclic_gc_paused) and put it
back as it was: parsing a file, the preview and the commit of an import."""

from __future__ import annotations

import gc
import threading

import pytest

import db.imports.preview as preview_module
from db.bulk import cyclic_gc_paused
from db.imports.detect import parse_file
from db.imports.preview import build_preview, commit_import
from db.permissions import SYSTEM
from tests.db.imports.make_fixtures import make_csv


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_pauses_nest_and_the_collector_comes_back_after_the_last(collector_on):
    with cyclic_gc_paused():
        assert not gc.isenabled()
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with cyclic_gc_paused():
        pass
    assert not gc.isenabled()


def test_pauses_overlapping_on_two_threads_end_with_the_collector_on(collector_on):
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with cyclic_gc_paused():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    with cyclic_gc_paused():
        thread.start()
        inside.wait(10)
    assert not gc.isenabled()  # the other thread's pause outlives this one
    leave.set()
    thread.join(10)
    assert gc.isenabled()


def test_an_error_inside_still_ends_the_pause(collector_on):
    with pytest.raises(ValueError), cyclic_gc_paused():
        raise ValueError("x")
    assert gc.isenabled()


def test_an_import_parses_previews_and_stores_with_the_collector_paused(vault, collector_on,
                                                                       monkeypatch):
    seen = []
    real_table, real_many = preview_module.lock_for_import, preview_module.audit_many
    monkeypatch.setattr(preview_module, "lock_for_import",
                        lambda *a: seen.append(("lock", gc.isenabled())) or real_table(*a))
    monkeypatch.setattr(preview_module, "audit_many",
                        lambda *a, **k: seen.append(("audit", gc.isenabled()))
                        or real_many(*a, **k))
    import db.imports.tabular as tabular

    real_parse = tabular.parse_table
    monkeypatch.setattr("db.imports.detect.parse_table",
                        lambda *a: seen.append(("parse", gc.isenabled())) or real_parse(*a))
    parsed, _table = parse_file(make_csv(5), "leerlingen.csv")
    assert gc.isenabled()
    with vault.session() as session:
        preview = build_preview(session, SYSTEM, parsed)
        assert gc.isenabled()
        result = commit_import(session, SYSTEM, preview)
    assert gc.isenabled() and result.added == 5
    assert ("parse", False) in seen and ("lock", False) in seen and ("audit", False) in seen
    assert all(enabled is False for _, enabled in seen)
