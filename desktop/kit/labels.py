"""Every state's label, once: keyed by the StrEnums of db/, marked for translation with
QT_TRANSLATE_NOOP and translated when shown (`label(state)`), as novelWriter's label tables do.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from db.breaches import BreachFact, DeadlineState
from db.consents import ConsentState
from db.pupils import PupilStatus, SpecialCategory
from db.schema import (
    BreachStatus,
    Channel,
    Decision,
    LegalBasis,
    RequestKind,
    RequestStatus,
    Risk,
)
from db.suppliers import AgreementState
from db.vulnerabilities import ReportState

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
    # datalekken
    (BreachStatus, BreachStatus.OPEN): QT_TRANSLATE_NOOP("Labels", "open"),
    (BreachStatus, BreachStatus.ASSESSED): QT_TRANSLATE_NOOP("Labels", "beoordeeld"),
    (BreachStatus, BreachStatus.NOTIFIED): QT_TRANSLATE_NOOP("Labels", "gemeld bij de AP"),
    (BreachStatus, BreachStatus.CLOSED): QT_TRANSLATE_NOOP("Labels", "afgetekend"),
    (Risk, Risk.NONE): QT_TRANSLATE_NOOP("Labels", "geen risico"),
    (Risk, Risk.RISK): QT_TRANSLATE_NOOP("Labels", "risico"),
    (Risk, Risk.HIGH): QT_TRANSLATE_NOOP("Labels", "hoog risico"),
    # the 72-hour column: short; {hours} is filled in by the page
    (DeadlineState, DeadlineState.RUNNING): QT_TRANSLATE_NOOP("Labels", "nog {hours} uur"),
    (DeadlineState, DeadlineState.OVERDUE): QT_TRANSLATE_NOOP("Labels", "te laat ({hours} uur)"),
    (DeadlineState, DeadlineState.IN_TIME): QT_TRANSLATE_NOOP("Labels", "op tijd gemeld"),
    (DeadlineState, DeadlineState.LATE):
        QT_TRANSLATE_NOOP("Labels", "te laat gemeld ({hours} uur)"),
    (DeadlineState, DeadlineState.NOT_REQUIRED):
        QT_TRANSLATE_NOOP("Labels", "niet gemeld: besluit"),
    (BreachFact, BreachFact.WHAT): QT_TRANSLATE_NOOP("Labels", "Wat is er gebeurd"),
    (BreachFact, BreachFact.WHEN): QT_TRANSLATE_NOOP("Labels", "Wanneer"),
    (BreachFact, BreachFact.KIND): QT_TRANSLATE_NOOP("Labels", "Soort lek"),
    (BreachFact, BreachFact.DATA): QT_TRANSLATE_NOOP("Labels", "Welke gegevens"),
    (BreachFact, BreachFact.PEOPLE): QT_TRANSLATE_NOOP("Labels", "Betrokkenen"),
    (BreachFact, BreachFact.MEASURES): QT_TRANSLATE_NOOP("Labels", "Maatregelen"),
    (BreachFact, BreachFact.OTHER): QT_TRANSLATE_NOOP("Labels", "Overig"),
    (ReportState, ReportState.UNANSWERED): QT_TRANSLATE_NOOP("Labels", "nog niet beantwoord"),
    (ReportState, ReportState.HANDLING): QT_TRANSLATE_NOOP("Labels", "in behandeling"),
    (ReportState, ReportState.FIXED): QT_TRANSLATE_NOOP("Labels", "opgelost"),
    # verzoeken
    (RequestKind, RequestKind.ACCESS): QT_TRANSLATE_NOOP("Labels", "Inzage"),
    (RequestKind, RequestKind.RECTIFICATION): QT_TRANSLATE_NOOP("Labels", "Correctie"),
    (RequestKind, RequestKind.ERASURE): QT_TRANSLATE_NOOP("Labels", "Verwijdering"),
    (RequestKind, RequestKind.RESTRICTION): QT_TRANSLATE_NOOP("Labels", "Beperking"),
    (RequestKind, RequestKind.OBJECTION): QT_TRANSLATE_NOOP("Labels", "Bezwaar"),
    (RequestStatus, RequestStatus.OPEN): QT_TRANSLATE_NOOP("Labels", "open"),
    (RequestStatus, RequestStatus.EXTENDED): QT_TRANSLATE_NOOP("Labels", "verlengd"),
    (RequestStatus, RequestStatus.ANSWERED): QT_TRANSLATE_NOOP("Labels", "beantwoord"),
    (RequestStatus, RequestStatus.WITHDRAWN): QT_TRANSLATE_NOOP("Labels", "ingetrokken"),
}

# Longer texts for a choice in a dialog, keyed the same way.
EXPLAINED: dict[StrEnum, str] = {
    RequestKind.ACCESS: QT_TRANSLATE_NOOP(
        "Labels", "Inzage: welke gegevens heeft de school over het kind?"),
    RequestKind.RECTIFICATION: QT_TRANSLATE_NOOP(
        "Labels", "Correctie: gegevens kloppen niet of zijn onvolledig"),
    RequestKind.ERASURE: QT_TRANSLATE_NOOP("Labels", "Verwijdering: gegevens wissen"),
    RequestKind.RESTRICTION: QT_TRANSLATE_NOOP(
        "Labels", "Beperking: gegevens tijdelijk niet gebruiken"),
    RequestKind.OBJECTION: QT_TRANSLATE_NOOP(
        "Labels", "Bezwaar: tegen een verwerking van gegevens"),
}

# Codes that are plain strings in db/ (not StrEnums): what an erasure removes
# (db.retention.ERASABLE) and the kind of a breach measure.
CODE_LABELS: dict[str, str] = {
    "erase.all": QT_TRANSLATE_NOOP("Labels", "Alles over deze leerling"),
    "erase.special": QT_TRANSLATE_NOOP(
        "Labels", "Alleen de bijzondere persoonsgegevens (medisch, geloof, overig)"),
    "erase.consents": QT_TRANSLATE_NOOP("Labels", "Alleen de vastgelegde toestemmingen"),
    "erase.notes": QT_TRANSLATE_NOOP("Labels", "Alleen de notities"),
    "erase.all.detail": QT_TRANSLATE_NOOP(
        "Labels", "De leerling, ouders die bij geen ander kind horen, toestemmingen, "
        "bijzondere gegevens en notities. Het verzoek zelf blijft bewaard, zonder naam."),
    "measure.corrective": QT_TRANSLATE_NOOP("Labels", "herstellend"),
    "measure.preventive": QT_TRANSLATE_NOOP("Labels", "preventief"),
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


def explained(state: StrEnum) -> str:
    """The longer, translated text of a choice (falls back to its label)."""
    text = EXPLAINED.get(state)
    return QCoreApplication.translate(CONTEXT, text) if text else label(state)


def code_label(kind: str, code: str) -> str:
    """The translated label of a plain-string code: code_label('erase', 'all'); '' for
    a code without one (so 'erase.<code>.detail' may be absent)."""
    text = CODE_LABELS.get(f"{kind}.{code}")
    return QCoreApplication.translate(CONTEXT, text) if text else ""
