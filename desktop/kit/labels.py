"""Every state's label, once: keyed by the StrEnums of db/, marked for translation with
QT_TRANSLATE_NOOP and translated when shown (`label(state)`), as novelWriter's label tables do.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from db.schema import LegalBasis
from db.suppliers import AgreementState

CONTEXT = "Labels"

LABELS: dict[StrEnum, str] = {
    AgreementState.MISSING: QT_TRANSLATE_NOOP("Labels", "geen overeenkomst"),
    AgreementState.EXPIRED: QT_TRANSLATE_NOOP("Labels", "verlopen"),
    AgreementState.EXPIRING: QT_TRANSLATE_NOOP("Labels", "verloopt binnenkort"),
    AgreementState.VALID: QT_TRANSLATE_NOOP("Labels", "geldig"),
    LegalBasis.LAW: QT_TRANSLATE_NOOP("Labels", "wettelijke plicht"),
    LegalBasis.CONSENT: QT_TRANSLATE_NOOP("Labels", "toestemming"),
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
