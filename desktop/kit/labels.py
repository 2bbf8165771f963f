"""Every state's label, once: keyed by the StrEnums of db/, marked for translation with
QT_TRANSLATE_NOOP and translated when shown (`label(state)`), as novelWriter's label tables do.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from db.breaches import BreachFact, DeadlineState
from db.consents import ConsentState
from db.overview import Level
from db.pupils import PupilStatus, SpecialCategory
from db.retention import ErasedPart, ErasureReason, RetentionCategory
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
    (ConsentState, ConsentState.REFUSED): QT_TRANSLATE_NOOP("Labels", "geweigerd"),
    (ConsentState, ConsentState.WITHDRAWN): QT_TRANSLATE_NOOP("Labels", "ingetrokken"),
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
    # what was erased (the list of erasures)
    (ErasedPart, ErasedPart.ALL): QT_TRANSLATE_NOOP("Labels", "alles over de leerling"),
    (ErasedPart, ErasedPart.SPECIAL): QT_TRANSLATE_NOOP("Labels", "bijzondere persoonsgegevens"),
    (ErasedPart, ErasedPart.CONSENTS): QT_TRANSLATE_NOOP("Labels", "toestemmingen"),
    (ErasedPart, ErasedPart.NOTES): QT_TRANSLATE_NOOP("Labels", "notities"),
    (RetentionCategory, RetentionCategory.PUPIL_FILE):
        QT_TRANSLATE_NOOP("Labels", "leerlingdossier"),
    (RetentionCategory, RetentionCategory.REFERRAL_FILE):
        QT_TRANSLATE_NOOP("Labels", "verwijsdossier"),
    (RetentionCategory, RetentionCategory.ENROLMENT): QT_TRANSLATE_NOOP(
        "Labels", "de hele leerling (inschrijving en verzuim)"),
    (ErasureReason, ErasureReason.REQUEST): QT_TRANSLATE_NOOP("Labels", "op verzoek"),
    (ErasureReason, ErasureReason.RETENTION):
        QT_TRANSLATE_NOOP("Labels", "bewaartermijn verstreken"),
    # how urgent a line under "Aandacht nodig" is
    (Level, Level.LATE): QT_TRANSLATE_NOOP("Labels", "termijn verstreken"),
    (Level, Level.SOON): QT_TRANSLATE_NOOP("Labels", "termijn loopt bijna af"),
    (Level, Level.OPEN): QT_TRANSLATE_NOOP("Labels", "te doen"),
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
# Ingetrokken is not geweigerd: its own arrow-back mark and amber, not the red cross.
CONSENT_SYMBOLS = {ConsentState.GIVEN: "✓", ConsentState.REFUSED: "✗",
                   ConsentState.WITHDRAWN: "↩", ConsentState.NOT_ASKED: "–"}
GIVEN_COLOUR, GIVEN_BACKGROUND = "#1b6e20", "#e4f2e4"        # dark green on white: 6.5:1
REFUSED_COLOUR, REFUSED_BACKGROUND = "#b3261e", "#fbe5e3"    # the house error red: 6.0:1
WITHDRAWN_COLOUR, WITHDRAWN_BACKGROUND = "#8a4b00", "#fdf0d9"  # dark amber on cream: 6.0:1
NOT_ASKED_COLOUR = "#6b6b6b"                                 # grey, still 5.3:1
CONSENT_COLOURS: dict[ConsentState, tuple[str, str | None]] = {
    ConsentState.GIVEN: (GIVEN_COLOUR, GIVEN_BACKGROUND),
    ConsentState.REFUSED: (REFUSED_COLOUR, REFUSED_BACKGROUND),
    ConsentState.WITHDRAWN: (WITHDRAWN_COLOUR, WITHDRAWN_BACKGROUND),
    ConsentState.NOT_ASKED: (NOT_ASKED_COLOUR, None),
}
# A state with the day of the decision that settles it ({day} is dd-mm-jjjj), for tooltips
CONSENT_SINCE: dict[ConsentState, str] = {
    ConsentState.GIVEN: QT_TRANSLATE_NOOP("Labels", "toestemming sinds {day}"),
    ConsentState.REFUSED: QT_TRANSLATE_NOOP("Labels", "geweigerd op {day}"),
    ConsentState.WITHDRAWN: QT_TRANSLATE_NOOP("Labels", "ingetrokken op {day}"),
}

# Short column titles for the default consent purposes (resources/texts/consent_purposes.json),
# by the purpose's code. A purpose the school added itself gets a shortened form of its title.
SHORT_TITLES = {
    "foto_website": QT_TRANSLATE_NOOP("Labels", "Website"),
    "foto_nieuwsbrief_schoolgids": QT_TRANSLATE_NOOP("Labels", "Nieuwsbrief"),
    "foto_sociale_media": QT_TRANSLATE_NOOP("Labels", "Sociale media"),
    "foto_ouderapp": QT_TRANSLATE_NOOP("Labels", "Ouderapp"),
    "schoolfotograaf": QT_TRANSLATE_NOOP("Labels", "Fotograaf"),
    "voornaam_bij_foto": QT_TRANSLATE_NOOP("Labels", "Naam bij foto"),
    "klassenlijst_contact": QT_TRANSLATE_NOOP("Labels", "Klassenlijst"),
    "uitwisseling_ggd_jgz": QT_TRANSLATE_NOOP("Labels", "GGD (JGZ)"),
    "deelname_onderzoek": QT_TRANSLATE_NOOP("Labels", "Onderzoek"),
}
SHORT_LIMIT = 18


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
    "breach.register_print": QT_TRANSLATE_NOOP("Labels", "Datalekkenregister afgedrukt"),
    "breach.board_register_print": QT_TRANSLATE_NOOP(
        "Labels", "Datalekkenregister van het bestuur afgedrukt"),
    "breach.report": QT_TRANSLATE_NOOP("Labels", "Rapport datalek afgedrukt"),
    "breach.sign_off": QT_TRANSLATE_NOOP("Labels", "Datalek afgetekend"),
    "breach.supplement": QT_TRANSLATE_NOOP("Labels", "Melding datalek aangevuld"),
    "breach.update": QT_TRANSLATE_NOOP("Labels", "Datalek gewijzigd"),
    "consent.ask_each_year": QT_TRANSLATE_NOOP("Labels", "Jaarlijks vragen ingesteld"),
    "consent.closing_date": QT_TRANSLATE_NOOP("Labels", "Sluitingsdatum toestemming ingesteld"),
    "consent.import": QT_TRANSLATE_NOOP("Labels", "Toestemming geïmporteerd uit ouderapp"),
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
    "processing.create": QT_TRANSLATE_NOOP("Labels", "Verwerking toegevoegd"),
    "processing.link": QT_TRANSLATE_NOOP("Labels", "Koppeling verwerking gemaakt"),
    "processing.retire": QT_TRANSLATE_NOOP("Labels", "Verwerking buiten gebruik gesteld"),
    "processing.save": QT_TRANSLATE_NOOP("Labels", "Verwerking gewijzigd"),
    "processing.unlink": QT_TRANSLATE_NOOP("Labels", "Koppeling verwerking verwijderd"),
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
    "school.contact": QT_TRANSLATE_NOOP("Labels", "Contactgegevens school gewijzigd"),
    "schoolgids.reset": QT_TRANSLATE_NOOP("Labels", "Schoolgidstekst teruggezet naar standaard"),
    "schoolgids.save": QT_TRANSLATE_NOOP("Labels", "Schoolgidstekst gewijzigd"),
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
    "login_throttle": QT_TRANSLATE_NOOP("Labels", "aanmeldpogingen"),
    "pupil": QT_TRANSLATE_NOOP("Labels", "leerling"),
    "pupil_guardian": QT_TRANSLATE_NOOP("Labels", "ouder bij leerling"),
    "processing_activity": QT_TRANSLATE_NOOP("Labels", "verwerking"),
    "processing_activity_retention": QT_TRANSLATE_NOOP("Labels", "bewaartermijn verwerking"),
    "processing_activity_supplier": QT_TRANSLATE_NOOP("Labels", "leverancier verwerking"),
    "retention_rule": QT_TRANSLATE_NOOP("Labels", "bewaartermijn"),
    "school": QT_TRANSLATE_NOOP("Labels", "school"),
    "school_guide_section": QT_TRANSLATE_NOOP("Labels", "schoolgidstekst"),
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
    (QT_TRANSLATE_NOOP("Labels", "Verwerkingsregister"), "processing."),
    (QT_TRANSLATE_NOOP("Labels", "Schoolgids"), "schoolgids."),
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
