"""Preview and commit of an import: the right diff, nothing written before the commit."""

from datetime import date

import pytest
from sqlalchemy import func, select

from db.imports.model import ImportedGuardian, ImportedPupil, ParsedFile
from db.imports.preview import Cancelled, build_preview, commit_import, load_mapping, save_mapping
from db.permissions import SYSTEM
from db.schema import AuditEntry, Guardian, Pupil, User


def imported(key, first, last, born, group="3A", prefix="", **extra):
    return ImportedPupil(where=f"regel {key}", source_key=key, first_name=first, last_name=last,
                         prefix=prefix, date_of_birth=born, group_name=group,
                         year_group=int(group[0]), **extra)


FIRST = [
    imported("101", "Sem", "Berg", date(2018, 2, 1), prefix="van den", guardians=(
        ImportedGuardian(last_name="Berg", first_name="Fatima", email="fatima@example.nl"),)),
    imported("102", "Zoë", "Jansen", date(2018, 6, 9)),
    imported("103", "Ismaël", "El Amrani", date(2017, 11, 30), group="4A"),
]


def admin_of(session):
    return session.scalar(select(User))


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def commit(vault, clock, pupils, **kwargs):
    with vault.session() as session:
        actor = admin_of(session)
        preview = build_preview(session, actor, ParsedFile(pupils=pupils, source="CSV"))
        result = commit_import(session, actor, preview, clock=clock, **kwargs)
    return preview, result


def test_first_import_adds_everyone_with_guardians(vault, clock):
    preview, result = commit(vault, clock, FIRST)
    assert len(preview.new) == 3 and not preview.changed and not preview.missing
    assert (result.added, result.guardians_added) == (3, 1)
    with vault.session() as session:
        assert count(session, Pupil) == 3 and count(session, Guardian) == 1
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions.count("pupil.import") == 3


def test_reimport_of_a_changed_file_yields_the_right_diff(vault, clock):
    commit(vault, clock, FIRST)
    second = [
        imported("101", "Sem", "Berg", date(2018, 2, 1), group="4A", prefix="van den"),
        imported("102", "Zoë", "Jansen-Smit", date(2018, 6, 9)),
        imported("104", "Daan", "Bakker", date(2019, 1, 5), group="2B"),
        # matched on name + birth date although the source key is new:
        imported(None, "Ismaël", "El Amrani", date(2017, 11, 30), group="4A"),
    ]
    with vault.session() as session:
        preview = build_preview(session, admin_of(session), ParsedFile(pupils=second))
        assert count(session, Pupil) == 3  # a preview writes nothing
    assert [p.first_name for p in preview.new] == ["Daan"]
    described = {c.incoming.source_key: [f.describe() for f in c.changes]
                 for c in preview.changed}
    assert described == {"101": ["jaargroep: 3 → 4", "groep: 3A → 4A"],
                         "102": ["achternaam: Jansen → Jansen-Smit"]}
    assert len(preview.unchanged) == 1 and preview.missing == []


def test_pupils_no_longer_in_the_file_are_offered_as_left_never_deleted(vault, clock):
    commit(vault, clock, FIRST)
    with vault.session() as session:
        preview = build_preview(session, admin_of(session), ParsedFile(pupils=FIRST[:1]))
        assert sorted(m.name for m in preview.missing) == ["Ismaël El Amrani", "Zoë Jansen"]
        commit_import(session, admin_of(session), preview, left_on=date(2026, 7, 10),
                      mark_left={preview.missing[0].pupil_id}, clock=clock)
    with vault.session() as session:
        assert count(session, Pupil) == 3
        left = session.scalars(select(Pupil.first_name).where(Pupil.left_on.is_not(None)))
        assert list(left) == [preview.missing[0].name.split()[0]]


def test_a_key_twice_in_the_file_is_a_problem_not_a_guess(vault, clock):
    twice = FIRST + [imported("101", "Semmie", "Berg", date(2018, 2, 1))]
    with vault.session() as session:
        preview = build_preview(session, admin_of(session), ParsedFile(pupils=twice))
    assert len(preview.new) == 3
    assert preview.problems[0].where == "regel 101" and "twee keer" in preview.problems[0].message


def test_cancel_leaves_the_database_as_it_was(vault, clock):
    with vault.session() as session:
        set_up = session.scalar(select(func.max(AuditEntry.seq)))
    many = [imported(str(1000 + i), f"Kind{i}", "Test", date(2018, 1, 1)) for i in range(5000)]
    with pytest.raises(Cancelled), vault.session() as session:
        actor = admin_of(session)
        preview = build_preview(session, actor, ParsedFile(pupils=many))
        commit_import(session, actor, preview, clock=clock,
                      progress=lambda done, total: done < 3000)
    with vault.session() as session:
        assert count(session, Pupil) == 0
        assert session.scalar(select(func.max(AuditEntry.seq))) == set_up  # set-up only


def test_column_mapping_is_remembered(vault):
    with vault.session() as session:
        save_mapping(session, admin_of(session), "abc", {"last_name": "Naam"})
    with vault.session() as session:
        assert load_mapping(session, SYSTEM, "abc") == {"last_name": "Naam"}
        assert load_mapping(session, SYSTEM, "other") is None
