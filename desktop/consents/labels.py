"""The words the consent screens show, translatable, and the short column titles.

The Dutch labels in db.consents are the rule's own words (also used by the CLI and the PDFs);
here they are repeated as literal tr() strings so Qt Linguist can translate them. A test keeps
both in step.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from db.consents import ConsentState
from db.schema import Channel, Decision

GIVEN_COLOUR = "#1b6e20"      # dark green on white: 6.5:1
GIVEN_BACKGROUND = "#e4f2e4"
REFUSED_COLOUR = "#b3261e"    # the house error red: 6.0:1
REFUSED_BACKGROUND = "#fbe5e3"
NOT_ASKED_COLOUR = "#6b6b6b"  # grey, still 5.3:1

SYMBOLS = {ConsentState.GIVEN: "✓", ConsentState.REFUSED: "✗", ConsentState.NOT_ASKED: "–"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("consents", text)


def state_label(state: ConsentState) -> str:
    return {ConsentState.GIVEN: _tr("toestemming"),
            ConsentState.REFUSED: _tr("geen toestemming"),
            ConsentState.NOT_ASKED: _tr("niet gevraagd")}[ConsentState(state)]


def decision_label(decision: str) -> str:
    labels = {Decision.GIVEN: _tr("gegeven"), Decision.REFUSED: _tr("geweigerd"),
              Decision.WITHDRAWN: _tr("ingetrokken")}
    try:
        return labels[Decision(decision)]
    except ValueError:
        return str(decision)


def channel_label(channel: str) -> str:
    labels = {Channel.PAPER: _tr("papieren formulier"), Channel.PARRO: _tr("Parro"),
              Channel.SOCIAL_SCHOOLS: _tr("Social Schools"), Channel.EMAIL: _tr("e-mail"),
              Channel.IN_PERSON: _tr("persoonlijk"), Channel.OTHER_APP: _tr("andere ouderapp")}
    try:
        return labels[Channel(channel)]
    except ValueError:
        return str(channel)


# Short column titles for the default purposes (resources/texts/consent_purposes.json).
# A purpose the school added itself gets a shortened form of its own title.
def _short_titles() -> dict[str, str]:
    return {
        "foto_website": _tr("Website"),
        "foto_nieuwsbrief_schoolgids": _tr("Nieuwsbrief"),
        "foto_sociale_media": _tr("Sociale media"),
        "foto_ouderapp": _tr("Ouderapp"),
        "schoolfotograaf": _tr("Schoolfotograaf"),
        "voornaam_bij_foto": _tr("Naam bij foto"),
        "klassenlijst_contact": _tr("Klassenlijst"),
        "uitwisseling_ggd_jgz": _tr("GGD (JGZ)"),
        "deelname_onderzoek": _tr("Onderzoek"),
    }

SHORT_LIMIT = 18


def short_title(code: str, title: str) -> str:
    """A column title that fits: 'Website' for foto_website, else the title shortened."""
    known = _short_titles().get(code)
    if known:
        return known
    text = title.split("(")[0].split(",")[0].strip() or title.strip()
    if len(text) <= SHORT_LIMIT:
        return text
    cut = text[:SHORT_LIMIT + 1].rsplit(" ", 1)[0].rstrip(" -–,.")
    return (cut or text[:SHORT_LIMIT]) + "…"
