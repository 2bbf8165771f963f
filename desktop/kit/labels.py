"""Every state's label, once: keyed by the StrEnums of db/, marked for translation with
QT_TRANSLATE_NOOP and translated when shown (`label(state)`), as novelWriter's label tables do.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from db.consents import ConsentState
from db.pupils import PupilStatus, SpecialCategory
from db.schema import Channel, Decision, LegalBasis
from db.suppliers import AgreementState

CONTEXT = "Labels"

# Two StrEnums may share a value ('given' is a Decision and a ConsentState; they are equal
# strings, so as plain keys one would silently replace the other): key such entries by
# (Kind, member). label() looks for (Kind, member) first, then for the member.
LABELS: dict[StrEnum | tuple[type[StrEnum], StrEnum], str] = {
    AgreementState.MISSING: QT_TRANSLATE_NOOP("Labels", "geen overeenkomst"),
    AgreementState.EXPIRED: QT_TRANSLATE_NOOP("Labels", "verlopen"),
    AgreementState.EXPIRING: QT_TRANSLATE_NOOP("Labels", "verloopt binnenkort"),
    AgreementState.VALID: QT_TRANSLATE_NOOP("Labels", "geldig"),
    LegalBasis.LAW: QT_TRANSLATE_NOOP("Labels", "wettelijke plicht"),
    LegalBasis.CONSENT: QT_TRANSLATE_NOOP("Labels", "toestemming"),
    # toestemming: the state a pupil's consent adds up to, a decision, and how it came in
    (ConsentState, ConsentState.GIVEN): QT_TRANSLATE_NOOP("Labels", "toestemming"),
    (ConsentState, ConsentState.REFUSED): QT_TRANSLATE_NOOP("Labels", "geen toestemming"),
    (ConsentState, ConsentState.NOT_ASKED): QT_TRANSLATE_NOOP("Labels", "niet gevraagd"),
    (Decision, Decision.GIVEN): QT_TRANSLATE_NOOP("Labels", "gegeven"),
    (Decision, Decision.REFUSED): QT_TRANSLATE_NOOP("Labels", "geweigerd"),
    (Decision, Decision.WITHDRAWN): QT_TRANSLATE_NOOP("Labels", "ingetrokken"),
    (Channel, Channel.PAPER): QT_TRANSLATE_NOOP("Labels", "papieren formulier"),
    (Channel, Channel.PARRO): QT_TRANSLATE_NOOP("Labels", "Parro"),
    (Channel, Channel.SOCIAL_SCHOOLS): QT_TRANSLATE_NOOP("Labels", "Social Schools"),
    (Channel, Channel.EMAIL): QT_TRANSLATE_NOOP("Labels", "e-mail"),
    (Channel, Channel.IN_PERSON): QT_TRANSLATE_NOOP("Labels", "persoonlijk"),
    (Channel, Channel.OTHER_APP): QT_TRANSLATE_NOOP("Labels", "andere ouderapp"),
    # leerlingen: the status column ({day} is the leaving date) and special categories
    (PupilStatus, PupilStatus.CURRENT): QT_TRANSLATE_NOOP("Labels", "Huidig"),
    (PupilStatus, PupilStatus.LEAVING): QT_TRANSLATE_NOOP("Labels", "Vertrekt per {day}"),
    (PupilStatus, PupilStatus.LEFT): QT_TRANSLATE_NOOP("Labels", "Vertrokken per {day}"),
    (SpecialCategory, SpecialCategory.MEDICAL): QT_TRANSLATE_NOOP("Labels", "Medisch"),
    (SpecialCategory, SpecialCategory.RELIGION):
        QT_TRANSLATE_NOOP("Labels", "Geloofsovertuiging"),
    (SpecialCategory, SpecialCategory.OTHER): QT_TRANSLATE_NOOP("Labels", "Overig"),
}

# How a consent state looks in the matrix and on the teacher's list: a symbol (the text says
# it too, for screen readers and colour-blind users) and (text, background) colours.
CONSENT_SYMBOLS = {ConsentState.GIVEN: "✓", ConsentState.REFUSED: "✗",
                   ConsentState.NOT_ASKED: "–"}
GIVEN_COLOUR, GIVEN_BACKGROUND = "#1b6e20", "#e4f2e4"        # dark green on white: 6.5:1
REFUSED_COLOUR, REFUSED_BACKGROUND = "#b3261e", "#fbe5e3"    # the house error red: 6.0:1
NOT_ASKED_COLOUR = "#6b6b6b"                                 # grey, still 5.3:1
CONSENT_COLOURS: dict[ConsentState, tuple[str, str | None]] = {
    ConsentState.GIVEN: (GIVEN_COLOUR, GIVEN_BACKGROUND),
    ConsentState.REFUSED: (REFUSED_COLOUR, REFUSED_BACKGROUND),
    ConsentState.NOT_ASKED: (NOT_ASKED_COLOUR, None),
}

# Short column titles for the default consent purposes (resources/texts/consent_purposes.json),
# by the purpose's code. A purpose the school added itself gets a shortened form of its title.
SHORT_TITLES = {
    "foto_website": QT_TRANSLATE_NOOP("Labels", "Website"),
    "foto_nieuwsbrief_schoolgids": QT_TRANSLATE_NOOP("Labels", "Nieuwsbrief"),
    "foto_sociale_media": QT_TRANSLATE_NOOP("Labels", "Sociale media"),
    "foto_ouderapp": QT_TRANSLATE_NOOP("Labels", "Ouderapp"),
    "schoolfotograaf": QT_TRANSLATE_NOOP("Labels", "Schoolfotograaf"),
    "voornaam_bij_foto": QT_TRANSLATE_NOOP("Labels", "Naam bij foto"),
    "klassenlijst_contact": QT_TRANSLATE_NOOP("Labels", "Klassenlijst"),
    "uitwisseling_ggd_jgz": QT_TRANSLATE_NOOP("Labels", "GGD (JGZ)"),
    "deelname_onderzoek": QT_TRANSLATE_NOOP("Labels", "Onderzoek"),
}
SHORT_LIMIT = 18

URGENCY_TONES = {"late": "red", "soon": "amber"}


def label(state: StrEnum | str, kind: type[StrEnum] | None = None) -> str:
    """The translated label of a state; `kind` turns a stored string into its StrEnum."""
    if kind is not None and not isinstance(state, kind):
        try:
            state = kind(state)
        except ValueError:
            return str(state)
    text = LABELS.get((type(state), state)) or LABELS.get(state)  # type: ignore[arg-type]
    return QCoreApplication.translate(CONTEXT, text) if text else str(state)


def short_title(code: str, title: str) -> str:
    """A column title that fits: 'Website' for foto_website, else the title shortened."""
    known = SHORT_TITLES.get(code)
    if known:
        return QCoreApplication.translate(CONTEXT, known)
    text = title.split("(")[0].split(",")[0].strip() or title.strip()
    if len(text) <= SHORT_LIMIT:
        return text
    cut = text[:SHORT_LIMIT + 1].rsplit(" ", 1)[0].rstrip(" -–,.")
    return (cut or text[:SHORT_LIMIT]) + "…"
