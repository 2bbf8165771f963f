"""Translated names of request kinds and states (db.requests holds the Dutch source labels)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from db.requests import KIND_LABELS, STATUS_LABELS
from db.schema import RequestKind


def _tr(text: str) -> str:
    return QCoreApplication.translate("requests", text)


def kind_label(kind: str) -> str:
    labels = {RequestKind.ACCESS: _tr("Inzage"), RequestKind.RECTIFICATION: _tr("Correctie"),
              RequestKind.ERASURE: _tr("Verwijdering"), RequestKind.RESTRICTION: _tr("Beperking"),
              RequestKind.OBJECTION: _tr("Bezwaar")}
    try:
        return labels[RequestKind(kind)]
    except ValueError:
        return KIND_LABELS.get(kind, str(kind))


def kind_explained(kind: RequestKind) -> str:
    """The label with what it means, for the kind choice in the dialog."""
    return {
        RequestKind.ACCESS: _tr("Inzage: welke gegevens heeft de school over het kind?"),
        RequestKind.RECTIFICATION: _tr("Correctie: gegevens kloppen niet of zijn onvolledig"),
        RequestKind.ERASURE: _tr("Verwijdering: gegevens wissen"),
        RequestKind.RESTRICTION: _tr("Beperking: gegevens tijdelijk niet gebruiken"),
        RequestKind.OBJECTION: _tr("Bezwaar: tegen een verwerking van gegevens"),
    }[kind]


def status_label(status: str) -> str:
    labels = {"open": _tr("open"), "extended": _tr("verlengd"), "answered": _tr("beantwoord"),
              "withdrawn": _tr("ingetrokken")}
    return labels.get(status, STATUS_LABELS.get(status, status))


def erasable_detail(category: str) -> str:
    """What 'all' takes with it, under its choice in the dialog."""
    return {"all": _tr("De leerling, ouders die bij geen ander kind horen, toestemmingen, "
                       "bijzondere gegevens en notities. Het verzoek zelf blijft bewaard, "
                       "zonder naam.")}.get(category, "")


def erasable_label(category: str) -> str:
    labels = {"all": _tr("Alles over deze leerling"),
              "special": _tr("Alleen de bijzondere persoonsgegevens (medisch, geloof, overig)"),
              "consents": _tr("Alleen de vastgelegde toestemmingen"),
              "notes": _tr("Alleen de notities")}
    return labels.get(category, category)
