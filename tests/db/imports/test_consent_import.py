"""Privacyvoorkeuren uit de ouderapp: two real layouts, read back through the db use cases."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from db.audit import verify_chain
from db.consent_sheets import photo_lists
from db.consents import ConsentState, current_states, history
from db.errors import PermissionDenied
from db.imports.consents import (
    Answer,
    ConsentMapping,
    Source,
    build_consent_preview,
    commit_consent_import,
    guess_mapping,
    load_consent_mapping,
    parse_preferences,
    purpose_choices,
    read_preferences,
    save_consent_mapping,
)
from db.permissions import SYSTEM
from db.schema import AuditEntry, Channel, ConsentEvent, Role, User
from db.users import create_user
from desktop.printing.photo_lists import photo_list_pdf
from tests.db.imports.consent_files import (
    CLOSING,
    PARRO_IMAGE_CODES,
    PARRO_ROWS,
    make_school,
    parro_csv,
    social_schools_xlsx,
)

TODAY = date(2026, 11, 24)


@pytest.fixture
def office(vault, clock) -> User:
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        return create_user(session, admin, "office", "wachtwoord-1", Role.ADMINISTRATIE,
                           clock=clock)


@pytest.fixture
def school(vault, office, clock) -> dict[str, int]:
    with vault.session() as session:
        return make_school(session, office, clock)


def preview_of(vault, actor, path, source, *, clock, decided_on=None, mapping=None):
    table = read_preferences(path.read_bytes(), path.name)
    with vault.session() as session:
        purposes = purpose_choices(session, actor)
        chosen = mapping or guess_mapping(table, purposes)
        parsed = parse_preferences(table, chosen, decided_on=decided_on)
        return build_consent_preview(session, actor, parsed, source, clock=clock)


def import_file(vault, actor, path, source, clock, **kwargs):
    preview = preview_of(vault, actor, path, source, clock=clock, **kwargs)
    with vault.session() as session:
        result = commit_consent_import(session, actor, preview, clock=clock)
    return preview, result


def events_of(vault, actor, pupil_id):
    with vault.session() as session:
        return history(session, actor, pupil_id)


def by_code(vault):
    from db.schema import ConsentPurpose

    with vault.session() as session:
        return dict(session.execute(select(ConsentPurpose.id, ConsentPurpose.code)).all())


def event_count(vault) -> int:
    with vault.session() as session:
        return session.scalar(select(func.count()).select_from(ConsentEvent))


# --- the Parro layout: ; CSV in Windows-1252, Ja/Nee, Leerlingnummer ------------------------

def test_the_parro_columns_and_values_are_guessed(vault, office, school, tmp_path):
    table = read_preferences(parro_csv(tmp_path).read_bytes(), "parro.csv")
    with vault.session() as session:
        mapping = guess_mapping(table, purpose_choices(session, office))
    assert mapping.fields == {"source_key": "Leerlingnummer", "last_name": "Achternaam",
                              "first_name": "Roepnaam", "group_name": "Groep"}
    assert mapping.purposes == {
        "Foto's op de website": "foto_website",
        "Foto's in de nieuwsbrief en schoolgids": "foto_nieuwsbrief_schoolgids",
        "Foto's op social media": "foto_sociale_media",
        "Foto's in Parro": "foto_ouderapp",
        "Schoolfotograaf": "schoolfotograaf",
        "Voornaam bij foto": "voornaam_bij_foto",
        "Klassenlijst": "klassenlijst_contact",
        "Deelname aan onderzoek": "deelname_onderzoek"}
    assert mapping.values == {"ja": Answer.GIVEN, "nee": Answer.REFUSED, "": Answer.NONE}


def test_the_preview_counts_per_purpose_and_names_what_is_not_imported(vault, office, school,
                                                                       tmp_path, clock):
    preview = preview_of(vault, office, parro_csv(tmp_path), Source.PARRO,
                         decided_on=CLOSING, clock=clock)
    counts = {c.title: (c.given, c.refused, c.unanswered, c.to_record, c.newer)
              for c in preview.counts}
    # Sem, Lotte and Fleur are imported; Noor's row has a problem, Piet is not found
    assert counts["Foto's en video's op de schoolwebsite"] == (3, 0, 0, 2, 1)
    assert counts["Foto's in de nieuwsbrief en de schoolgids"] == (1, 1, 1, 2, 0)
    assert counts["Deelname aan onderzoek"] == (1, 1, 1, 2, 0)
    assert [(n.where, n.source_key) for n in preview.not_found] == [("regel 6", "7777")]
    assert [(p.where, p.message) for p in preview.problems] == [
        ("regel 5", "kolom 'Foto's in de nieuwsbrief en schoolgids': 'Misschien' is geen "
                    "bekende keuze (geef in de koppeling aan wat deze waarde betekent)")]
    (conflict,) = preview.conflicts
    assert (conflict.where, conflict.pupil_name) == ("regel 3", "Lotte Bergen")
    assert conflict.message.startswith("op papier gewijzigd op 12-10-2026 (geweigerd)")
    assert event_count(vault) == 1  # the preview wrote nothing (only Lotte's paper form)


def test_a_parro_import_records_each_choice_with_channel_date_and_who(vault, office, school,
                                                                      tmp_path, clock):
    preview, result = import_file(vault, office, parro_csv(tmp_path), Source.PARRO, clock,
                                  decided_on=CLOSING)
    assert (result.recorded, result.pupils) == (len(preview.planned), 3)
    codes = by_code(vault)
    sem = {codes[e.purpose_id]: e for e in events_of(vault, office, school["sem"])}
    assert {code: e.decision for code, e in sem.items()} == {
        "foto_website": "given", "foto_nieuwsbrief_schoolgids": "given",
        "foto_sociale_media": "refused", "foto_ouderapp": "given", "schoolfotograaf": "given",
        "voornaam_bij_foto": "refused", "klassenlijst_contact": "given",
        "deelname_onderzoek": "refused"}
    for event in sem.values():
        assert (event.channel, event.decided_on, event.guardian_id, event.by_pupil) == (
            Channel.PARRO, CLOSING, None, False)
        assert event.note == "door: ouder via app"
        assert event.recorded_by == office.id
    with vault.session() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "consent.import")) == result.recorded
        assert verify_chain(session).ok


def test_silence_records_nothing_and_is_not_consent(vault, office, school, tmp_path, clock):
    import_file(vault, office, parro_csv(tmp_path), Source.PARRO, clock, decided_on=CLOSING)
    codes = by_code(vault)
    fleur = {codes[e.purpose_id] for e in events_of(vault, office, school["fleur"])}
    assert fleur == {"foto_website", "foto_ouderapp", "schoolfotograaf",
                     "klassenlijst_contact"}
    with vault.session() as session:
        states = current_states(session, office, [school["fleur"]], on=TODAY)
    newsletter = purpose_id_of(codes, "foto_nieuwsbrief_schoolgids")
    assert states.get((school["fleur"], newsletter), ConsentState.NOT_ASKED) \
        is ConsentState.NOT_ASKED


def purpose_id_of(codes: dict[int, str], code: str) -> int:
    return next(pid for pid, c in codes.items() if c == code)


def test_a_newer_paper_decision_is_kept(vault, office, school, tmp_path, clock):
    import_file(vault, office, parro_csv(tmp_path), Source.PARRO, clock, decided_on=CLOSING)
    codes = by_code(vault)
    website = purpose_id_of(codes, "foto_website")
    lotte = events_of(vault, office, school["lotte"])
    assert [(e.channel, e.decision) for e in lotte if e.purpose_id == website] == [
        (Channel.PAPER, "refused")]  # the file's older 'Ja' was not recorded
    with vault.session() as session:
        states = current_states(session, office, [school["lotte"]], on=TODAY)
    assert states[(school["lotte"], website)] is ConsentState.REFUSED


def test_a_row_with_an_unknown_value_saves_nothing_for_that_pupil(vault, office, school,
                                                                  tmp_path, clock):
    import_file(vault, office, parro_csv(tmp_path), Source.PARRO, clock, decided_on=CLOSING)
    assert events_of(vault, office, school["noor"]) == []


def test_importing_the_same_file_again_changes_nothing(vault, office, school, tmp_path, clock):
    path = parro_csv(tmp_path)
    import_file(vault, office, path, Source.PARRO, clock, decided_on=CLOSING)
    before = event_count(vault)
    preview, result = import_file(vault, office, path, Source.PARRO, clock, decided_on=CLOSING)
    assert preview.planned == [] and not preview.has_work
    assert sum(c.already for c in preview.counts) > 0
    assert result.recorded == 0 and event_count(vault) == before


def test_an_unknown_value_mapped_by_the_user_is_imported(vault, office, school, tmp_path,
                                                         clock):
    path = parro_csv(tmp_path)
    table = read_preferences(path.read_bytes(), path.name)
    with vault.session() as session:
        mapping = guess_mapping(table, purpose_choices(session, office))
    mapping.values["misschien"] = Answer.NONE  # the office decides: that is no answer
    preview, result = import_file(vault, office, path, Source.PARRO, clock,
                                  decided_on=CLOSING, mapping=mapping)
    assert preview.problems == []
    assert len(events_of(vault, office, school["noor"])) == 7


def test_the_photo_list_after_the_import_holds_exactly_the_pupils_without_consent(
        vault, office, school, tmp_path, clock):
    import_file(vault, office, parro_csv(tmp_path), Source.PARRO, clock, decided_on=CLOSING)
    with vault.session() as session:
        lists = photo_lists(session, office, today=TODAY)
        purposes = {p.code: p.title for p in purpose_choices(session, office)}
    pdf = tmp_path / "niet-op-de-foto.pdf"
    photo_list_pdf(pdf, "OBS De Klimop", lists, printed_on=TODAY)
    printed = _names_per_purpose(pdf, [purposes[c] for c in PARRO_IMAGE_CODES])

    # expected from the file: refused or not answered, for every current pupil; Lotte's
    # website is refused on paper; Noor (row problem) and Daan (not in the file) have nothing
    columns = {"foto_website": 4, "foto_nieuwsbrief_schoolgids": 5, "foto_sociale_media": 6,
               "foto_ouderapp": 7, "schoolfotograaf": 8}
    names = {"1001": "Sem van den Berg", "1002": "Lotte Bergen", "1003": "Fleur Jansen"}
    expected = set()
    for code in PARRO_IMAGE_CODES:
        for row in PARRO_ROWS[:3]:
            cells = row.split(";")
            if cells[columns[code]] != "Ja" or (cells[0] == "1002" and code == "foto_website"):
                expected.add((purposes[code], names[cells[0]]))
        expected |= {(purposes[code], "Noor Visser"), (purposes[code], "Daan de Vries")}
    assert printed == expected


def _names_per_purpose(pdf, titles: list[str]) -> set[tuple[str, str]]:
    """(purpose title, name) for every '• name' under a purpose's heading in the PDF."""
    found = set()
    for page in PdfReader(pdf).pages:
        current = None
        for line in page.extract_text().splitlines():
            heading = next((t for t in titles if line.startswith(t)), None)
            if heading is not None:
                current = heading
                continue
            for name in re.findall(r"•\s*([^•]+)", line):
                found.add((current, name.strip()))
    return found


# --- the Social Schools layout: XLSX, Akkoord/Niet akkoord, name + date of birth ----------

def test_a_social_schools_workbook_matches_pupils_by_name_and_birth_date(vault, office, school,
                                                                         tmp_path, clock):
    path = social_schools_xlsx(tmp_path)
    table = read_preferences(path.read_bytes(), path.name)
    with vault.session() as session:
        mapping = guess_mapping(table, purpose_choices(session, office))
    assert mapping.fields == {"full_name": "Naam leerling", "date_of_birth": "Geboortedatum",
                              "group_name": "Groep", "decided_on": "Laatst gewijzigd"}
    assert mapping.values == {"akkoord": Answer.GIVEN, "niet akkoord": Answer.REFUSED,
                              "": Answer.NONE}
    preview, result = import_file(vault, office, path, Source.SOCIAL_SCHOOLS, clock,
                                  decided_on=CLOSING)
    assert preview.not_found == [] and preview.problems == []
    codes = by_code(vault)
    daan = {codes[e.purpose_id]: (e.decision, e.decided_on, e.channel)
            for e in events_of(vault, office, school["daan"])}
    assert daan == {
        "foto_website": ("refused", date(2026, 9, 28), Channel.SOCIAL_SCHOOLS),
        "foto_sociale_media": ("refused", date(2026, 9, 28), Channel.SOCIAL_SCHOOLS),
        "foto_ouderapp": ("given", date(2026, 9, 28), Channel.SOCIAL_SCHOOLS),
        "schoolfotograaf": ("given", date(2026, 9, 28), Channel.SOCIAL_SCHOOLS)}
    sem = {codes[e.purpose_id]: e.decision for e in events_of(vault, office, school["sem"])}
    assert sem["foto_sociale_media"] == "refused" and sem["foto_website"] == "given"
    assert events_of(vault, office, school["fleur"]) == []  # chose nothing: nothing recorded
    assert result.pupils == 2


# --- rules and roles --------------------------------------------------------------------

def test_without_a_date_column_or_a_given_date_nothing_is_read(vault, office, school,
                                                               tmp_path):
    path = parro_csv(tmp_path)
    table = read_preferences(path.read_bytes(), path.name)
    with vault.session() as session:
        mapping = guess_mapping(table, purpose_choices(session, office))
    parsed = parse_preferences(table, mapping, decided_on=None)
    assert parsed.rows == []
    assert "geef de datum op" in parsed.problems[0].message


def test_a_date_after_today_is_a_row_problem(vault, office, school, tmp_path, clock):
    preview = preview_of(vault, office, parro_csv(tmp_path), Source.PARRO,
                         decided_on=date(2026, 12, 1), clock=clock)
    assert preview.planned == []
    assert {p.message for p in preview.problems} >= {
        "de datum van de keuze ligt in de toekomst"}


def test_the_mapping_is_remembered_per_source_and_layout(vault, office, school, tmp_path):
    table = read_preferences(parro_csv(tmp_path).read_bytes(), "parro.csv")
    mapping = ConsentMapping({"source_key": "Leerlingnummer"},
                             {"Foto's op de website": "foto_website"}, {"ja": "given"})
    with vault.session() as session:
        save_consent_mapping(session, office, Source.PARRO, table.headers, mapping)
    with vault.session() as session:
        assert load_consent_mapping(session, office, Source.PARRO, table.headers) == mapping
        assert load_consent_mapping(session, office, Source.SOCIAL_SCHOOLS,
                                    table.headers) is None


def test_a_teacher_may_not_import_preferences(vault, office, school, tmp_path, clock):
    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        teacher = create_user(session, admin, "juf", "wachtwoord-1", Role.LEERKRACHT,
                              clock=clock)
    preview = preview_of(vault, SYSTEM, parro_csv(tmp_path), Source.PARRO,
                         decided_on=CLOSING, clock=clock)
    with vault.session() as session, pytest.raises(PermissionDenied):
        commit_consent_import(session, teacher, preview, clock=clock)
