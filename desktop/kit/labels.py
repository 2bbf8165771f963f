"""Every state's label, once: keyed by the StrEnums of db/, marked for translation with
QT_TRANSLATE_NOOP and translated when shown (`label(state)`), as novelWriter's label tables do.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from db.overview import Level
from db.retention import ErasedPart, ErasureReason, RetentionCategory
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
    # what was erased (the list of erasures)
    ErasedPart.ALL: QT_TRANSLATE_NOOP("Labels", "alles over de leerling"),
    ErasedPart.SPECIAL: QT_TRANSLATE_NOOP("Labels", "bijzondere persoonsgegevens"),
    ErasedPart.CONSENTS: QT_TRANSLATE_NOOP("Labels", "toestemmingen"),
    ErasedPart.NOTES: QT_TRANSLATE_NOOP("Labels", "notities"),
    RetentionCategory.PUPIL_FILE: QT_TRANSLATE_NOOP("Labels", "leerlingdossier"),
    RetentionCategory.REFERRAL_FILE: QT_TRANSLATE_NOOP("Labels", "verwijsdossier"),
    RetentionCategory.ENROLMENT: QT_TRANSLATE_NOOP(
        "Labels", "de hele leerling (inschrijving en verzuim)"),
    ErasureReason.REQUEST: QT_TRANSLATE_NOOP("Labels", "op verzoek"),
    ErasureReason.RETENTION: QT_TRANSLATE_NOOP("Labels", "bewaartermijn verstreken"),
    # how urgent a line under "Aandacht nodig" is
    Level.LATE: QT_TRANSLATE_NOOP("Labels", "termijn verstreken"),
    Level.SOON: QT_TRANSLATE_NOOP("Labels", "termijn loopt bijna af"),
    Level.OPEN: QT_TRANSLATE_NOOP("Labels", "te doen"),
}

# What falls under a retention category in this register (the retention page's "Valt eronder")
SCOPE_LABELS: dict[StrEnum, str] = {
    RetentionCategory.PUPIL_FILE: QT_TRANSLATE_NOOP(
        "Labels", "notities en bijzondere persoonsgegevens"),
    RetentionCategory.REFERRAL_FILE: QT_TRANSLATE_NOOP("Labels", "uitwisselingen met derden"),
    RetentionCategory.ENROLMENT: QT_TRANSLATE_NOOP(
        "Labels", "de hele leerling: gegevens, ouders, toestemmingen"),
}

# Every action the audit log records, in words (the viewer, its PDF and CSV)
ACTION_LABELS: dict[str, str] = {
    "audit.baseline": QT_TRANSLATE_NOOP("Labels", "Beginstand van het auditlog vastgelegd"),
    "audit.export": QT_TRANSLATE_NOOP("Labels", "Auditlog geëxporteerd"),
    "audit.read": QT_TRANSLATE_NOOP("Labels", "Auditlog ingezien"),
    "breach.amend": QT_TRANSLATE_NOOP("Labels", "Datalek aangevuld (na aftekenen)"),
    "breach.assess": QT_TRANSLATE_NOOP("Labels", "Datalek beoordeeld"),
    "breach.inform": QT_TRANSLATE_NOOP("Labels", "Betrokkenen over datalek ingelicht"),
    "breach.measure": QT_TRANSLATE_NOOP("Labels", "Maatregel bij datalek vastgelegd"),
    "breach.measure_done": QT_TRANSLATE_NOOP("Labels", "Maatregel bij datalek afgerond"),
    "breach.notify": QT_TRANSLATE_NOOP("Labels", "Datalek gemeld bij de AP"),
    "breach.register": QT_TRANSLATE_NOOP("Labels", "Datalek geregistreerd"),
    "breach.sign_off": QT_TRANSLATE_NOOP("Labels", "Datalek afgetekend"),
    "breach.supplement": QT_TRANSLATE_NOOP("Labels", "Melding datalek aangevuld"),
    "breach.update": QT_TRANSLATE_NOOP("Labels", "Datalek gewijzigd"),
    "consent.ask_each_year": QT_TRANSLATE_NOOP("Labels", "Jaarlijks vragen ingesteld"),
    "consent.closing_date": QT_TRANSLATE_NOOP("Labels", "Sluitingsdatum toestemming ingesteld"),
    "consent.record": QT_TRANSLATE_NOOP("Labels", "Toestemming vastgelegd"),
    "demo.create": QT_TRANSLATE_NOOP("Labels", "Demogegevens aangemaakt"),
    "exchange.record": QT_TRANSLATE_NOOP("Labels", "Uitwisseling vastgelegd"),
    "guardian.add": QT_TRANSLATE_NOOP("Labels", "Ouder toegevoegd"),
    "guardian.import": QT_TRANSLATE_NOOP("Labels", "Ouder geïmporteerd"),
    "guardian.link": QT_TRANSLATE_NOOP("Labels", "Ouder gekoppeld"),
    "guardian.remove": QT_TRANSLATE_NOOP("Labels", "Ouder ontkoppeld"),
    "guardian.update": QT_TRANSLATE_NOOP("Labels", "Ouder gewijzigd"),
    "inspection.export": QT_TRANSLATE_NOOP("Labels", "Inspectie-export gemaakt"),
    "pupil.access_export": QT_TRANSLATE_NOOP("Labels", "Inzage-export gemaakt"),
    "pupil.enrol": QT_TRANSLATE_NOOP("Labels", "Leerling ingeschreven"),
    "pupil.import": QT_TRANSLATE_NOOP("Labels", "Leerling geïmporteerd"),
    "pupil.import_update": QT_TRANSLATE_NOOP("Labels", "Leerling bijgewerkt bij import"),
    "pupil.leave": QT_TRANSLATE_NOOP("Labels", "Vertrek vastgelegd"),
    "pupil.leave_undone": QT_TRANSLATE_NOOP("Labels", "Vertrek ongedaan gemaakt"),
    "pupil.notes_erased": QT_TRANSLATE_NOOP("Labels", "Notities van leerling verwijderd"),
    "pupil.open": QT_TRANSLATE_NOOP("Labels", "Leerlingkaart geopend"),
    "pupil.update": QT_TRANSLATE_NOOP("Labels", "Leerling gewijzigd"),
    "purpose.create": QT_TRANSLATE_NOOP("Labels", "Toestemmingsdoel toegevoegd"),
    "purpose.new_version": QT_TRANSLATE_NOOP("Labels", "Nieuwe tekst toestemmingsdoel"),
    "purpose.retire": QT_TRANSLATE_NOOP("Labels", "Toestemmingsdoel beëindigd"),
    "request.answer": QT_TRANSLATE_NOOP("Labels", "Verzoek beantwoord"),
    "request.detach": QT_TRANSLATE_NOOP("Labels", "Verzoek losgemaakt van verwijderde leerling"),
    "request.extend": QT_TRANSLATE_NOOP("Labels", "Termijn verzoek verlengd"),
    "request.register": QT_TRANSLATE_NOOP("Labels", "Verzoek geregistreerd"),
    "retention.create": QT_TRANSLATE_NOOP("Labels", "Bewaartermijn toegevoegd"),
    "retention.update": QT_TRANSLATE_NOOP("Labels", "Bewaartermijn gewijzigd"),
    "school.create": QT_TRANSLATE_NOOP("Labels", "Register ingericht"),
    "setting.update": QT_TRANSLATE_NOOP("Labels", "Instelling gewijzigd"),
    "special.add": QT_TRANSLATE_NOOP("Labels", "Bijzonder gegeven vastgelegd"),
    "special.read": QT_TRANSLATE_NOOP("Labels", "Bijzondere gegevens ingezien"),
    "special.remove": QT_TRANSLATE_NOOP("Labels", "Bijzonder gegeven verwijderd"),
    "supplier.save": QT_TRANSLATE_NOOP("Labels", "Leverancier opgeslagen"),
    "user.create": QT_TRANSLATE_NOOP("Labels", "Gebruiker toegevoegd"),
    "user.login": QT_TRANSLATE_NOOP("Labels", "Aangemeld"),
    "user.login_failed": QT_TRANSLATE_NOOP("Labels", "Aanmelden mislukt"),
    "user.login_throttled": QT_TRANSLATE_NOOP("Labels", "Aanmelden tijdelijk geweigerd"),
    "user.password": QT_TRANSLATE_NOOP("Labels", "Wachtwoord gewijzigd"),
    "user.unlock": QT_TRANSLATE_NOOP("Labels", "Ontgrendeld"),
    "user.unlock_failed": QT_TRANSLATE_NOOP("Labels", "Ontgrendelen mislukt"),
    "user.unlock_throttled": QT_TRANSLATE_NOOP("Labels", "Ontgrendelen tijdelijk geweigerd"),
    "user.update": QT_TRANSLATE_NOOP("Labels", "Gebruiker gewijzigd"),
    "vulnerability.acknowledge": QT_TRANSLATE_NOOP("Labels", "Kwetsbaarheidsmelding bevestigd"),
    "vulnerability.assess": QT_TRANSLATE_NOOP("Labels", "Kwetsbaarheidsmelding beoordeeld"),
    "vulnerability.fixed": QT_TRANSLATE_NOOP("Labels", "Kwetsbaarheid verholpen"),
    "vulnerability.link": QT_TRANSLATE_NOOP("Labels", "Kwetsbaarheid aan datalek gekoppeld"),
    "vulnerability.register": QT_TRANSLATE_NOOP("Labels", "Kwetsbaarheid gemeld"),
    "vulnerability.update_sent": QT_TRANSLATE_NOOP("Labels", "Melder bijgepraat"),
}
ERASURE_ACTION = QT_TRANSLATE_NOOP("Labels", "Gegevens verwijderd")

# The kinds of record the audit log points at
TABLE_LABELS: dict[str, str] = {
    "app_user": QT_TRANSLATE_NOOP("Labels", "gebruiker"),
    "audit_entry": QT_TRANSLATE_NOOP("Labels", "auditlog"),
    "breach": QT_TRANSLATE_NOOP("Labels", "datalek"),
    "breach_amendment": QT_TRANSLATE_NOOP("Labels", "aanvulling datalek"),
    "breach_measure": QT_TRANSLATE_NOOP("Labels", "maatregel"),
    "consent_event": QT_TRANSLATE_NOOP("Labels", "toestemming"),
    "consent_purpose": QT_TRANSLATE_NOOP("Labels", "toestemmingsdoel"),
    "consent_purpose_text": QT_TRANSLATE_NOOP("Labels", "tekst toestemmingsdoel"),
    "data_request": QT_TRANSLATE_NOOP("Labels", "verzoek"),
    "erasure": QT_TRANSLATE_NOOP("Labels", "verwijdering"),
    "exchange": QT_TRANSLATE_NOOP("Labels", "uitwisseling"),
    "exchange_pupil": QT_TRANSLATE_NOOP("Labels", "leerling bij uitwisseling"),
    "guardian": QT_TRANSLATE_NOOP("Labels", "ouder"),
    "pupil": QT_TRANSLATE_NOOP("Labels", "leerling"),
    "pupil_guardian": QT_TRANSLATE_NOOP("Labels", "ouder bij leerling"),
    "retention_rule": QT_TRANSLATE_NOOP("Labels", "bewaartermijn"),
    "school": QT_TRANSLATE_NOOP("Labels", "school"),
    "setting": QT_TRANSLATE_NOOP("Labels", "instelling"),
    "special_category_record": QT_TRANSLATE_NOOP("Labels", "bijzonder gegeven"),
    "supplier": QT_TRANSLATE_NOOP("Labels", "leverancier"),
    "vulnerability_report": QT_TRANSLATE_NOOP("Labels", "kwetsbaarheidsmelding"),
}

# The action filter of the audit log: a group of actions in words, and the code prefix
ACTION_GROUPS: tuple[tuple[str, str], ...] = (
    (QT_TRANSLATE_NOOP("Labels", "Alle acties"), ""),
    (QT_TRANSLATE_NOOP("Labels", "Leerlingen"), "pupil."),
    (QT_TRANSLATE_NOOP("Labels", "Leerlingkaart geopend"), "pupil.open"),
    (QT_TRANSLATE_NOOP("Labels", "Bijzondere persoonsgegevens"), "special."),
    (QT_TRANSLATE_NOOP("Labels", "Ouders"), "guardian."),
    (QT_TRANSLATE_NOOP("Labels", "Toestemmingen"), "consent."),
    (QT_TRANSLATE_NOOP("Labels", "Datalekken"), "breach."),
    (QT_TRANSLATE_NOOP("Labels", "Verzoeken"), "request."),
    (QT_TRANSLATE_NOOP("Labels", "Verwijderingen"), "erasure."),
    (QT_TRANSLATE_NOOP("Labels", "Uitwisselingen"), "exchange."),
    (QT_TRANSLATE_NOOP("Labels", "Leveranciers"), "supplier."),
    (QT_TRANSLATE_NOOP("Labels", "Gebruikers en aanmelden"), "user."),
    (QT_TRANSLATE_NOOP("Labels", "Auditlog ingezien of geëxporteerd"), "audit."),
)

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


def scope_label(category: str) -> str:
    """What falls under a retention category, in words."""
    try:
        text = SCOPE_LABELS.get(RetentionCategory(category))
    except ValueError:
        text = None
    return QCoreApplication.translate(CONTEXT, text) if text else category


def action_label(code: str) -> str:
    """An audit action in Dutch words ('Leerlingkaart geopend' for pupil.open); the code itself
    when it is not known."""
    text = ACTION_LABELS.get(code)
    if text is None and code.startswith("erasure."):
        text = ERASURE_ACTION
    return QCoreApplication.translate(CONTEXT, text) if text else code


def table_label(table: str) -> str:
    text = TABLE_LABELS.get(table)
    return QCoreApplication.translate(CONTEXT, text) if text else table
