"""The language of the window. Dutch is the source language; English comes from a .qm file.

English is used when the system locale is English, or when PRIVACYREGISTER_LANG=en is set
(PRIVACYREGISTER_LANG=nl forces Dutch on an English Windows). In Dutch, Qt's own translation
is loaded too, so standard buttons and context menus say "Annuleren" and "Plakken".

Updating the English translation after changing texts (then fill in the new <translation>
elements, e.g. with Qt Linguist, and compile):

    pyside6-lupdate -no-obsolete -locations relative desktop/*.py desktop/*/*.py \
        -ts resources/translations/privacyregister_en.ts
    pyside6-lrelease resources/translations/privacyregister_en.ts \
        -qm resources/translations/privacyregister_en.qm

Texts outside a QObject use QCoreApplication.translate("Context", "…") (or a module-level
`translate = QCoreApplication.translate`); lupdate does not see through other wrappers.
tests/desktop/test_i18n.py fails while any text lacks its English translation.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANG_ENV = "PRIVACYREGISTER_LANG"
APP_TRANSLATION = "privacyregister_en.qm"


def ui_language(system: QLocale | None = None) -> str:
    """'en' or 'nl': the environment variable first, then the system locale."""
    wanted = os.environ.get(LANG_ENV, "").strip().lower()
    if wanted.startswith("en"):
        return "en"
    if wanted.startswith("nl"):
        return "nl"
    locale = system if system is not None else QLocale.system()
    return "en" if locale.language() == QLocale.Language.English else "nl"


def translations_dir() -> Path:
    """resources/translations, in a wheel, an editable install and a frozen build alike."""
    return Path(str(resources.files("resources").joinpath("translations")))


def install_translations(app: QCoreApplication, language: str | None = None) -> list[QTranslator]:
    """Install the translators for `language` (default: ui_language()). Returns them.

    The caller keeps the list alive for as long as the application runs: a translator that
    Python garbage-collects stops translating.
    """
    language = language or ui_language()
    installed: list[QTranslator] = []
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        translator = QTranslator(app)
        if translator.load(str(translations_dir() / APP_TRANSLATION)):
            app.installTranslator(translator)
            installed.append(translator)
        return installed
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_nl.qm", "qt_nl.qm"):
        translator = QTranslator(app)
        if translator.load(str(Path(qt_dir) / name)):
            app.installTranslator(translator)
            installed.append(translator)
            break
    return installed


def remove_translations(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Undo install_translations (tests switch languages within one QApplication)."""
    for translator in translators:
        app.removeTranslator(translator)


def role_label(role: str) -> str:
    """The translated name of a role (db.permissions.ROLE_LABELS holds the Dutch ones)."""
    from db.schema import Role

    labels = {
        Role.BEHEERDER: QCoreApplication.translate("Roles", "Beheerder"),
        Role.ADMINISTRATIE: QCoreApplication.translate("Roles", "Administratie"),
        Role.DIRECTIE: QCoreApplication.translate("Roles", "Directie"),
        Role.LEERKRACHT: QCoreApplication.translate("Roles", "Leerkracht"),
        Role.FG: QCoreApplication.translate("Roles", "Functionaris gegevensbescherming"),
        Role.BESTUUR: QCoreApplication.translate("Roles", "Bestuur"),
    }
    try:
        return labels[Role(role)]
    except ValueError:
        return str(role)
