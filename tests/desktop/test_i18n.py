"""Dutch is the source language; English comes from the .qm when asked for."""

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.i18n import (
    install_translations,
    remove_translations,
    role_label,
    translations_dir,
    ui_language,
)
from desktop.setup_dialog import SetupDialog


@pytest.fixture
def english(qapp):
    translators = install_translations(qapp, "en")
    yield
    remove_translations(qapp, translators)
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))


def test_environment_variable_chooses_the_language(monkeypatch):
    english_system = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    dutch_system = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)
    monkeypatch.delenv("PRIVACYREGISTER_LANG", raising=False)
    assert ui_language(dutch_system) == "nl"
    assert ui_language(english_system) == "en"
    monkeypatch.setenv("PRIVACYREGISTER_LANG", "en")
    assert ui_language(dutch_system) == "en"
    monkeypatch.setenv("PRIVACYREGISTER_LANG", "nl")
    assert ui_language(english_system) == "nl"


def test_setup_dialog_speaks_english_with_the_english_translation(qtbot, tmp_path, english):
    dialog = SetupDialog(database=tmp_path / "r.db", keyring_available=True,
                         recovery_pdf=tmp_path / "k.pdf")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Set up Privacyregister"
    assert dialog.buttons.buttons()[0].text() in ("&Create register", "Cancel")
    assert not dialog.validate()
    assert dialog.fields["school_name"].error.text() == "Enter the name of the school."
    assert role_label("fg") == "Data protection officer"


def test_dutch_is_the_default_and_standard_buttons_are_dutch(qtbot, tmp_path, qapp):
    translators = install_translations(qapp, "nl")
    try:
        dialog = SetupDialog(database=tmp_path / "r.db", keyring_available=True,
                             recovery_pdf=tmp_path / "k.pdf")
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Privacyregister inrichten"
        assert QApplication.translate("QPlatformTheme", "Cancel") == "Annuleren"
    finally:
        remove_translations(qapp, translators)


def test_every_text_has_an_english_translation_and_the_qm_is_built():
    ts = translations_dir() / "privacyregister_en.ts"
    root = ET.parse(ts).getroot()
    unfinished = [message.findtext("source") for message in root.iter("message")
                  if message.find("translation").get("type") == "unfinished"
                  or not (message.findtext("translation") or "").strip()]
    assert unfinished == []
    translator = QTranslator()
    assert translator.load(str(translations_dir() / "privacyregister_en.qm"))
    for message in root.iter("context"):  # the .qm holds what the .ts holds (lrelease was run)
        name = message.findtext("name")
        for item in message.iter("message"):
            assert translator.translate(name, item.findtext("source")) == \
                item.findtext("translation"), item.findtext("source")
