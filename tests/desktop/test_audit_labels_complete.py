"""Every action the register writes to the audit log, and every kind of record it points at,
has Dutch words in the viewer (the demo's log showed 'processing.link' and
'processing_activity_supplier')."""

from __future__ import annotations

import ast
from pathlib import Path

from db.schema import Base
from desktop.kit.labels import ACTION_LABELS, TABLE_LABELS, action_label, table_label

DB = Path(__file__).parents[2] / "db"


def audited_actions() -> set[str]:
    """The literal action codes of every audit(...) and audit_many(...) call in db/."""
    found: set[str] = set()
    for path in DB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("audit", "audit_many") and len(node.args) >= 3:
                action = node.args[2]
                if isinstance(action, ast.Constant) and isinstance(action.value, str):
                    found.add(action.value)
    return found


def test_every_audited_action_has_dutch_words():
    actions = audited_actions()
    assert len(actions) > 50  # the scan found the calls
    assert sorted(a for a in actions if a not in ACTION_LABELS) == []
    assert action_label("processing.link") == "Koppeling verwerking gemaakt"
    assert action_label("erasure.enrolment") == "Gegevens verwijderd"


def test_every_table_has_dutch_words():
    tables = {mapper.local_table.name for mapper in Base.registry.mappers}
    assert "processing_activity_supplier" in tables
    assert sorted(t for t in tables if t not in TABLE_LABELS) == []
    assert table_label("processing_activity_supplier") == "leverancier verwerking"
