"""Every state's label, once: keyed by the StrEnums of db/, marked for translation with
QT_TRANSLATE_NOOP and translated when shown (`label(state)`), as novelWriter's label tables do.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from db.breaches import BreachFact, DeadlineState
from db.schema import BreachStatus, LegalBasis, RequestKind, RequestStatus, Risk
from db.suppliers import AgreementState
from db.vulnerabilities import ReportState

CONTEXT = "Labels"

LABELS: dict[StrEnum, str] = {
    AgreementState.MISSING: QT_TRANSLATE_NOOP("Labels", "geen overeenkomst"),
    AgreementState.EXPIRED: QT_TRANSLATE_NOOP("Labels", "verlopen"),
    AgreementState.EXPIRING: QT_TRANSLATE_NOOP("Labels", "verloopt binnenkort"),
    AgreementState.VALID: QT_TRANSLATE_NOOP("Labels", "geldig"),
    LegalBasis.LAW: QT_TRANSLATE_NOOP("Labels", "wettelijke plicht"),
    LegalBasis.CONSENT: QT_TRANSLATE_NOOP("Labels", "toestemming"),
    # datalekken
    BreachStatus.OPEN: QT_TRANSLATE_NOOP("Labels", "open"),
    BreachStatus.ASSESSED: QT_TRANSLATE_NOOP("Labels", "beoordeeld"),
    BreachStatus.NOTIFIED: QT_TRANSLATE_NOOP("Labels", "gemeld bij de AP"),
    BreachStatus.CLOSED: QT_TRANSLATE_NOOP("Labels", "afgetekend"),
    Risk.NONE: QT_TRANSLATE_NOOP("Labels", "geen risico"),
    Risk.RISK: QT_TRANSLATE_NOOP("Labels", "risico"),
    Risk.HIGH: QT_TRANSLATE_NOOP("Labels", "hoog risico"),
    # the 72-hour column: short; {hours} is filled in by the page
    DeadlineState.RUNNING: QT_TRANSLATE_NOOP("Labels", "nog {hours} uur"),
    DeadlineState.OVERDUE: QT_TRANSLATE_NOOP("Labels", "te laat ({hours} uur)"),
    DeadlineState.IN_TIME: QT_TRANSLATE_NOOP("Labels", "op tijd gemeld"),
    DeadlineState.LATE: QT_TRANSLATE_NOOP("Labels", "te laat gemeld ({hours} uur)"),
    DeadlineState.NOT_REQUIRED: QT_TRANSLATE_NOOP("Labels", "niet gemeld: besluit"),
    BreachFact.WHAT: QT_TRANSLATE_NOOP("Labels", "Wat is er gebeurd"),
    BreachFact.WHEN: QT_TRANSLATE_NOOP("Labels", "Wanneer"),
    BreachFact.KIND: QT_TRANSLATE_NOOP("Labels", "Soort lek"),
    BreachFact.DATA: QT_TRANSLATE_NOOP("Labels", "Welke gegevens"),
    BreachFact.PEOPLE: QT_TRANSLATE_NOOP("Labels", "Betrokkenen"),
    BreachFact.MEASURES: QT_TRANSLATE_NOOP("Labels", "Maatregelen"),
    BreachFact.OTHER: QT_TRANSLATE_NOOP("Labels", "Overig"),
    ReportState.UNANSWERED: QT_TRANSLATE_NOOP("Labels", "nog niet beantwoord"),
    ReportState.HANDLING: QT_TRANSLATE_NOOP("Labels", "in behandeling"),
    ReportState.FIXED: QT_TRANSLATE_NOOP("Labels", "opgelost"),
    # verzoeken
    RequestKind.ACCESS: QT_TRANSLATE_NOOP("Labels", "Inzage"),
    RequestKind.RECTIFICATION: QT_TRANSLATE_NOOP("Labels", "Correctie"),
    RequestKind.ERASURE: QT_TRANSLATE_NOOP("Labels", "Verwijdering"),
    RequestKind.RESTRICTION: QT_TRANSLATE_NOOP("Labels", "Beperking"),
    RequestKind.OBJECTION: QT_TRANSLATE_NOOP("Labels", "Bezwaar"),
    RequestStatus.OPEN: QT_TRANSLATE_NOOP("Labels", "open"),
    RequestStatus.EXTENDED: QT_TRANSLATE_NOOP("Labels", "verlengd"),
    RequestStatus.ANSWERED: QT_TRANSLATE_NOOP("Labels", "beantwoord"),
    RequestStatus.WITHDRAWN: QT_TRANSLATE_NOOP("Labels", "ingetrokken"),
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

URGENCY_TONES = {"late": "red", "soon": "amber"}


def label(state: StrEnum | str, kind: type[StrEnum] | None = None) -> str:
    """The translated label of a state; `kind` turns a stored string into its StrEnum."""
    if kind is not None and not isinstance(state, kind):
        try:
            state = kind(state)
        except ValueError:
            return str(state)
    text = LABELS.get(state)  # type: ignore[arg-type]
    return QCoreApplication.translate(CONTEXT, text) if text else str(state)


def explained(state: StrEnum) -> str:
    """The longer, translated text of a choice (falls back to its label)."""
    text = EXPLAINED.get(state)
    return QCoreApplication.translate(CONTEXT, text) if text else label(state)


def code_label(kind: str, code: str) -> str:
    """The translated label of a plain-string code: code_label('erase', 'all'); '' for
    a code without one (so 'erase.<code>.detail' may be absent)."""
    text = CODE_LABELS.get(f"{kind}.{code}")
    return QCoreApplication.translate(CONTEXT, text) if text else ""
