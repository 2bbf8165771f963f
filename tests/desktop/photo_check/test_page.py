"""Fotocheck: choose what the photo is for and who is in it; the answer names who may not and
why, as the choice changes; a teacher is offered only their own group; the print for the
photographer."""

from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from db.consents import record_decision
from db.pupils import PupilInput, enrol_pupil
from db.schema import Channel, ConsentPurpose, Decision
from desktop.kit.page import AreaContext
from desktop.photo_check.page import PhotoCheckPage


def make_view(qtbot, vault, user, clock):
    view = PhotoCheckPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(view)
    view.resize(1150, 690)
    view.show()
    return view


def purpose_id(vault, code: str) -> int:
    with vault.session() as session:
        return session.scalar(select(ConsentPurpose.id).where(ConsentPurpose.code == code))


def decide(vault, people, school, clock, pupil: str, code: str, decision: Decision) -> None:
    with vault.session() as session:
        record_decision(session, people["office"], school["ids"][pupil], purpose_id(vault, code),
                        decision, decided_on=date(2026, 9, 7),
                        guardian_id=school["guardians"][pupil], channel=Channel.PAPER,
                        clock=clock)


def names(view) -> list[str]:
    return [blocked.pupil.name for blocked in view.blocked.rows()]


def test_the_answer_follows_the_choice(qtbot, vault, people, school, clock):
    decide(vault, people, school, clock, "Daan", "foto_website", Decision.GIVEN)
    decide(vault, people, school, clock, "Daan", "foto_sociale_media", Decision.REFUSED)
    view = make_view(qtbot, vault, people["office"], clock)
    # at the start: the first image purpose and the first group with current pupils
    website, social = purpose_id(vault, "foto_website"), purpose_id(vault, "foto_sociale_media")
    assert view.purposes.chosen() == (website,)
    assert view.current_group() == "5A"
    assert view.chosen_label.text() == "2 leerlingen gekozen"
    assert names(view) == ["Zoë van den Berg"]
    assert view.blocked.model.data(view.blocked.model.index(0, 2)) == "niet gevraagd"
    assert view.answer.text() == "1 van de 2 mogen niet op de foto"
    assert view.clear_label.text() == "Mogen wel op de foto (1): Daan de Vries"

    view.purposes.set_checked(social)  # a click on the second purpose
    assert names(view) == ["Daan de Vries", "Zoë van den Berg"]
    assert view.blocked.rows()[0].describe() == \
        "geweigerd (Foto's en video's op sociale media van de school)"

    view.pupils.set_checked(school["ids"]["Zoë"], False)
    assert names(view) == ["Daan de Vries"] and view.chosen_label.text() == "1 leerling gekozen"
    assert view.check_label() == "1 leerling"

    view.nobody.click()
    assert view.check is None and not view.buttons["print"].isEnabled()
    assert view.answer.text() == "Kies een groep of vink de leerlingen aan die op de foto komen."

    view.group.activated.emit(view.group.findData("5A"))  # the same group chosen again
    assert view.chosen_label.text() == "2 leerlingen gekozen"
    view.group.setCurrentIndex(view.group.findData(""))  # alle groepen: pick by name
    view.search.setText("berg")
    shown = [view.pupils.item(i).text() for i in range(view.pupils.count())
             if not view.pupils.item(i).isHidden()]
    assert shown == ["Zoë van den Berg (groep 5A)"]
    assert view.check_label() == "groep 5A"  # still ticked from choosing the group


def test_a_teacher_is_offered_only_their_own_group(qtbot, vault, people, school, clock):
    with vault.session() as session:
        enrol_pupil(session, people["office"], PupilInput(
            first_name="Noor", last_name="Jansen", date_of_birth=date(2017, 2, 2),
            group_name="4B", enrolled_on=date(2021, 8, 30)), clock=clock)
    view = make_view(qtbot, vault, people["juf"], clock)
    assert [view.group.itemData(i) for i in range(view.group.count())] == ["5A"]
    offered = [view.pupils.item(i).text() for i in range(view.pupils.count())]
    assert offered == ["Daan de Vries (groep 5A)", "Zoë van den Berg (groep 5A)"]
    assert view.check is not None and view.check.checked == 2


def test_print_for_the_photographer(qtbot, vault, people, school, clock, boxes, save_as):
    view = make_view(qtbot, vault, people["juf"], clock)
    task = view.print_check()
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: bool(boxes.saved), timeout=20_000)
    _text, path = boxes.saved[0]
    assert path.name == "Fotocheck groep 5A 24-11-2026.pdf"
    text = PdfReader(path).pages[0].extract_text()
    assert "groep 5A" in text and "Zoë van den Berg" in text and "Daan de Vries" in text
