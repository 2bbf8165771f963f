"""First start: the set-up dialog validates at the fields and creates nothing until all is valid."""

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox

from db.errors import ValidationError
from db.school import get_school
from db.vault import Vault, read_sidecar
from desktop.setup_dialog import SetupDialog, default_recovery_pdf


def make_dialog(qtbot, tmp_path: Path, clock, *, keyring: bool = True) -> SetupDialog:
    dialog = SetupDialog(database=tmp_path / "register.db", backup_dir=tmp_path / "backups",
                         keyring_available=keyring, clock=clock,
                         recovery_pdf=tmp_path / "Herstelsleutel Privacyregister.pdf")
    qtbot.addWidget(dialog)
    return dialog


def fill(qtbot, dialog: SetupDialog, **overrides: str) -> None:
    values = {"school_name": "OBS De Klimop", "brin": "12ab", "display_name": "Marieke de Vries",
              "username": "marieke", "password": "veilig-genoeg", "password_again": "veilig-genoeg",
              "passphrase": "een lange wachtzin", "passphrase_again": "een lange wachtzin"}
    values.update(overrides)
    for name, value in values.items():
        widget = getattr(dialog, name)
        widget.clear()
        qtbot.keyClicks(widget, value)


def error_at(dialog: SetupDialog, key: str) -> str:
    field = dialog.fields[key]
    return field.error.text() if not field.error.isHidden() else ""


def test_setup_creates_register_school_user_and_recovery_pdf(qtbot, tmp_path, clock):
    dialog = make_dialog(qtbot, tmp_path, clock)
    fill(qtbot, dialog)
    vault = dialog.create_register()
    try:
        assert (tmp_path / "register.db").is_file()
        assert read_sidecar(tmp_path / "register.db")["key_mode"] == "keyring"
        with vault.session() as session:
            school = get_school(session)
            assert (school.name, school.brin) == ("OBS De Klimop", "12AB")
        pdf = dialog.recovery_pdf_written
        assert pdf == tmp_path / "Herstelsleutel Privacyregister.pdf" and pdf.is_file()
        text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "OBS De Klimop" in text and vault.database_id in text
        assert vault.recovery_key().split("-")[0] in text
    finally:
        vault.engine.dispose()


def test_setup_refuses_mismatched_passwords_and_creates_no_file(qtbot, tmp_path, clock):
    dialog = make_dialog(qtbot, tmp_path, clock)
    fill(qtbot, dialog, password_again="iets-anders-123")
    with pytest.raises(ValidationError):
        dialog.create_register()
    assert error_at(dialog, "password_again") == (
        "De twee wachtwoorden zijn niet gelijk. Typ het wachtwoord nog eens.")
    assert not (tmp_path / "register.db").exists()
    assert not (tmp_path / "Herstelsleutel Privacyregister.pdf").exists()


def test_setup_refuses_an_invalid_brin_and_creates_no_file(qtbot, tmp_path, clock):
    dialog = make_dialog(qtbot, tmp_path, clock)
    fill(qtbot, dialog, brin="1234")
    with pytest.raises(ValidationError):
        dialog.create_register()
    assert error_at(dialog, "brin").startswith("Een BRIN-nummer heeft twee cijfers en twee letters")
    assert error_at(dialog, "school_name") == ""
    assert not (tmp_path / "register.db").exists()


def test_setup_shows_every_problem_at_once_and_focuses_the_first(qtbot, tmp_path, clock):
    dialog = make_dialog(qtbot, tmp_path, clock)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.validate()
    for key in ("school_name", "brin", "display_name", "username", "password"):
        assert error_at(dialog, key), key
    assert dialog.focusWidget() is dialog.school_name


def test_editing_a_field_clears_its_error(qtbot, tmp_path, clock):
    dialog = make_dialog(qtbot, tmp_path, clock)
    dialog.validate()
    assert error_at(dialog, "school_name")
    qtbot.keyClicks(dialog.school_name, "O")
    assert error_at(dialog, "school_name") == ""


def test_setup_refuses_to_overwrite_an_earlier_recovery_pdf(qtbot, tmp_path, clock):
    dialog = make_dialog(qtbot, tmp_path, clock)
    (tmp_path / "Herstelsleutel Privacyregister.pdf").write_bytes(b"oud")
    fill(qtbot, dialog)
    assert not dialog.validate()
    assert "Er staat al een bestand met deze naam" in error_at(dialog, "pdf_path")


def test_default_recovery_pdf_is_numbered_when_the_name_is_taken(tmp_path):
    assert default_recovery_pdf(tmp_path) == tmp_path / "Herstelsleutel Privacyregister.pdf"
    (tmp_path / "Herstelsleutel Privacyregister.pdf").write_bytes(b"")
    assert default_recovery_pdf(tmp_path) == tmp_path / "Herstelsleutel Privacyregister (2).pdf"


def test_without_keyring_setup_asks_a_passphrase_and_prints_no_pdf(qtbot, tmp_path, clock):
    dialog = make_dialog(qtbot, tmp_path, clock, keyring=False)
    assert "pdf_path" not in dialog.fields
    fill(qtbot, dialog, passphrase="te kort")
    with pytest.raises(ValidationError):
        dialog.create_register()
    assert error_at(dialog, "passphrase") == "Een wachtwoordzin heeft minstens 12 tekens."
    fill(qtbot, dialog)
    vault = dialog.create_register()
    vault.engine.dispose()
    assert read_sidecar(tmp_path / "register.db")["key_mode"] == "passphrase"
    assert dialog.recovery_pdf_written is None
    reopened = Vault.open(tmp_path / "register.db", passphrase="een lange wachtzin")
    reopened.engine.dispose()


def test_a_file_in_place_of_the_pdf_folder_is_refused(qtbot, tmp_path, clock):
    dialog = make_dialog(qtbot, tmp_path, clock)
    fill(qtbot, dialog)
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map")
    dialog.pdf_path.setText(str(blocker / "Herstelsleutel.pdf"))
    assert not dialog.validate()
    assert error_at(dialog, "pdf_path") == "Deze map bestaat niet. Kies een andere map."


def test_when_the_pdf_cannot_be_written_nothing_stays_behind(qtbot, tmp_path, clock,
                                                              memory_keyring, monkeypatch):
    import desktop.printing.recovery_key as printing

    def full_disk(pdf, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(printing, "write_recovery_pdf", full_disk)
    dialog = make_dialog(qtbot, tmp_path, clock)
    fill(qtbot, dialog)
    with pytest.raises(ValidationError):
        dialog.create_register()
    assert "kon hier niet worden opgeslagen" in error_at(dialog, "pdf_path")
    assert not (tmp_path / "register.db").exists()
    assert not (tmp_path / "register.db.json").exists()
    assert memory_keyring.entries == {}


def test_ok_creates_the_register_and_tells_to_print_the_pdf(qtbot, tmp_path, clock,
                                                            monkeypatch):
    shown = []

    def fake_exec(box):
        shown.append((box.text(), box.informativeText()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    dialog = make_dialog(qtbot, tmp_path, clock)
    fill(qtbot, dialog)
    dialog.accept()
    assert dialog.result() == SetupDialog.DialogCode.Accepted
    assert dialog.vault is not None
    dialog.vault.engine.dispose()
    (text, informative), = shown
    assert "Druk nu de herstelsleutel af" in text
    assert "kluis" in informative and "Herstelsleutel Privacyregister.pdf" in informative
