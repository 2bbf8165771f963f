"""One breach: the assessment, the notification, sign-off and amendments, the facts at the
top."""

from datetime import UTC, datetime

from db.breaches import BreachInput, register_breach
from db.schema import Breach, BreachStatus, Risk
from desktop.breaches.detail import BreachDetail
from desktop.breaches.dialog import BreachDialog
from tests.desktop.breaches.conftest import fill, stored


def test_register_and_assess_a_breach_through_the_dialogs(qtbot, vault, clock, staff, boxes):
    dialog = BreachDialog(None, vault, staff["office"], clock=clock)
    qtbot.addWidget(dialog)
    fill(qtbot, dialog)
    assert dialog.save()
    (breach,) = stored(vault)
    assert (breach.reference, breach.affected_min, breach.affected_max) == ("DL-2026-001", 25, 30)
    assert breach.special_categories and breach.nature == "lost"

    detail = BreachDetail(None, vault, staff["office"], breach.id, clock=clock)
    qtbot.addWidget(detail)
    assert "nog 46 uur om te melden" in detail.countdown.text()
    assert "26-11-2026 09:00" in detail.countdown.text()
    assert detail.q_special.isChecked() and detail.q_children.isChecked()
    detail.suggest()
    assert detail.risk_buttons["high"].isChecked()
    qtbot.keyClicks(detail.notify_reason, "Hoog risico voor kinderen: melden.")
    assert detail.assess()
    with vault.session() as session:
        saved = session.get(Breach, breach.id)
        assert saved.status == BreachStatus.ASSESSED and saved.risk == "high"
        assert "bijzondere persoonsgegevens" in saved.risk_reasons and saved.notify_ap


def test_only_the_director_signs_off_and_then_only_amendments(qtbot, vault, clock, staff,
                                                              boxes):
    with vault.session() as session:
        breach = register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC), description="Lek",
            data_encrypted=True), clock=clock)
    office = BreachDetail(None, vault, staff["office"], breach.id, clock=clock)
    qtbot.addWidget(office)
    assert not office.sign_button.isEnabled()
    office.q_encrypted.setChecked(True)
    office.suggest()
    qtbot.keyClicks(office.notify_reason, "Versleuteld: geen risico.")
    assert office.assess()
    director = BreachDetail(None, vault, staff["director"], breach.id, clock=clock)
    qtbot.addWidget(director)
    assert director.sign_button.isEnabled()
    assert director.sign()
    assert not director.save_assessment.isEnabled() and not director.edit_button.isEnabled()
    assert "Afgetekend door" in director.sign_state.text()
    qtbot.keyClicks(director.amendment_text, "Laptop teruggevonden.")
    assert director.amend()
    assert director.amendments.rowCount() == 1


def test_a_late_notification_asks_for_the_reasons_and_shows_them(qtbot, vault, clock, staff,
                                                                 boxes):
    with vault.session() as session:
        breach = register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 19, 8, 0, tzinfo=UTC),
            description="Wachtwoord van de administratie gelekt"), clock=clock)
    detail = BreachDetail(None, vault, staff["office"], breach.id, clock=clock)
    qtbot.addWidget(detail)
    detail.notified_at.set_value(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # 96 hours
    qtbot.keyClicks(detail.ap_reference, "AP-77")
    assert not detail.record_notice()
    assert "redenen voor de vertraging" in detail.notify_fields["late_reason"].error.text()
    assert stored(vault)[0].notified_at is None
    qtbot.keyClicks(detail.late_reason, "De directeur was op kamp.")
    assert detail.record_notice()
    again = BreachDetail(None, vault, staff["director"], breach.id, clock=clock)
    qtbot.addWidget(again)
    assert again.late_reason.toPlainText() == "De directeur was op kamp."



def test_the_facts_stand_at_the_top_and_amendments_under_the_fact_they_amend(
        qtbot, vault, clock, staff, boxes, save_as):
    from pypdf import PdfReader

    from db.breaches import BreachFact, add_measure, assess, record_informing

    with vault.session() as session:
        breach = register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
            started_at=datetime(2026, 11, 22, 16, 0, tzinfo=UTC),
            description="Laptop met klassenlijst in de trein laten liggen",
            nature=("lost",), data_categories=("name", "special"),
            affected_groups=("pupils", "parents"), affected_min=25, affected_max=30,
            cause="Laptop niet versleuteld"), clock=clock)
        add_measure(session, staff["office"], breach.id, kind="corrective",
                    description="Laptop op afstand gewist", clock=clock)
        assess(session, staff["office"], breach.id, risk=Risk.NONE, reasons="gewist",
               notify_ap=False, notify_reason="op afstand gewist", clock=clock)
        record_informing(session, staff["office"], breach.id, informed=False,
                         reason_not="geen risico", clock=clock)
    detail = BreachDetail(None, vault, staff["director"], breach.id, clock=clock)
    qtbot.addWidget(detail)
    facts = detail.facts
    split = detail.tabs.parentWidget()  # facts above, tabs below, in one splitter
    assert split.widget(0).isAncestorOf(facts) and split.widget(1) is detail.tabs
    assert facts.text_of(BreachFact.WHAT).startswith("Laptop met klassenlijst")
    assert "Oorzaak: Laptop niet versleuteld" in facts.text_of(BreachFact.WHAT)
    assert facts.text_of(BreachFact.WHEN) == ("Begonnen: 22-11-2026 17:00 · ontdekt: "
                                              "23-11-2026 09:00 · beëindigd: onbekend")
    assert facts.text_of(BreachFact.KIND) == "verloren of gestolen"
    assert "naam en adres" in facts.text_of(BreachFact.DATA)
    assert facts.text_of(BreachFact.PEOPLE) == "leerlingen, ouders/verzorgers (25–30 personen)"
    assert facts.text_of(BreachFact.MEASURES) == "Laptop op afstand gewist"
    assert detail.countdown.text().count("niet gemeld: besluit") == 1

    assert detail.sign()
    detail.amendment_fact.setCurrentIndex(detail.amendment_fact.findData(BreachFact.PEOPLE))
    qtbot.keyClicks(detail.amendment_text, "Ook twee leerkrachten stonden op de lijst.")
    assert detail.amend()
    assert not detail.save_assessment.isEnabled()  # signed off: read-only, facts still shown
    people = facts.text_of(BreachFact.PEOPLE)
    assert people.startswith("leerlingen, ouders/verzorgers (25–30 personen)\nAanvulling ")
    assert people.endswith("Ook twee leerkrachten stonden op de lijst.")
    assert "Ook twee" not in facts.text_of(BreachFact.WHAT)
    assert detail.amendments.data(detail.amendments.index(0, 2)) == "Betrokkenen"
    reopened = BreachDetail(None, vault, staff["office"], breach.id, clock=clock)
    qtbot.addWidget(reopened)
    assert "Ook twee leerkrachten" in reopened.facts.text_of(BreachFact.PEOPLE)

    task = reopened.print_report()
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: bool(boxes["saved"]), timeout=20_000)
    text, path = boxes["saved"][0]
    assert path.name == "Datalek DL-2026-001.pdf" and "niet versleuteld" in text
    pdf = " ".join(page.extract_text() for page in PdfReader(path).pages).replace("\n", " ")
    assert "Ook twee leerkrachten" in pdf and "(over: betrokkenen)" in pdf


def test_one_person_involved_is_one_persoon(qtbot, vault, clock, staff):
    from db.breaches import BreachFact

    with vault.session() as session:
        breach = register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
            description="Rapport in de verkeerde tas", nature=("sent",),
            data_categories=("name",), affected_groups=("pupils",), affected_min=1,
            affected_max=1), clock=clock)
    detail = BreachDetail(None, vault, staff["director"], breach.id, clock=clock)
    qtbot.addWidget(detail)
    assert detail.facts.text_of(BreachFact.PEOPLE) == "leerlingen (1 persoon)"
