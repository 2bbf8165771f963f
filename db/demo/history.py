"""The scripted part of the demo school's history: breaches, requests, suppliers,
exchanges and vulnerability reports."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.audit import audit, audit_many
from db.breaches import next_reference
from db.clock import SCHOOL_TZ, Clock, local_today
from db.demo.people import _at
from db.permissions import SYSTEM
from db.schema import (
    Breach,
    BreachAmendment,
    BreachMeasure,
    BreachStatus,
    ConsentEvent,
    ConsentPurpose,
    DataRequest,
    Decision,
    Exchange,
    ExchangePupil,
    LegalBasis,
    Pupil,
    PupilGuardian,
    RequestKind,
    Risk,
    Supplier,
    VulnerabilityReport,
)


def _add(session: Session, record, clock: Clock):  # noqa: ANN001, ANN202
    session.add(record)
    session.flush()
    audit(session, SYSTEM, "demo.create", record, clock=clock)
    return record


def _office_now(clock: Clock) -> datetime:
    """10:00 today at the school (or now, when that is earlier): keeps the story in office hours."""
    morning = datetime.combine(local_today(clock), time(10, 0), tzinfo=SCHOOL_TZ)
    return min(morning.astimezone(UTC), clock())


def _breaches(session: Session, clock: Clock, office_id: int | None,
              director_id: int | None, group_sizes: dict[str, int]) -> int:
    now = _office_now(clock)
    hours = lambda n: timedelta(hours=n)  # noqa: E731
    days = lambda n: timedelta(days=n)  # noqa: E731
    size = lambda name, default: group_sizes.get(name, default)  # noqa: E731

    def breach(discovered: datetime, **fields) -> Breach:  # noqa: ANN003
        year = discovered.astimezone(SCHOOL_TZ).year
        reference = next_reference(session, year)
        record = Breach(reference=reference, discovered_at=discovered, created_by=office_id,
                        created_at=discovered + hours(1), **fields)
        return _add(session, record, clock)

    def measure(record: Breach, kind: str, text: str, owner: str, due: date,
                done: date | None) -> None:
        _add(session, BreachMeasure(breach_id=record.id, kind=kind, description=text,
                                    owner=owner, due_on=due, done_on=done), clock)

    # 1. class list e-mailed to the wrong group: documented, not notified (art. 33(5))
    t = now - days(640)
    b = breach(
        t, status=BreachStatus.CLOSED, started_at=t - hours(3), ended_at=t - hours(3),
        description="De klassenlijst van groep 4B (namen van leerlingen met telefoonnummers en "
                    "e-mailadressen van ouders) is per vergissing naar de ouders van groep 4A "
                    "gestuurd.",
        nature="read,sent", data_categories="name,contact",
        affected_groups="pupils,parents", affected_min=size("4B", 27),
        affected_max=size("4B", 27) * 2, cause="Verkeerde verzendlijst gekozen in de e-mail.",
        consequences="Ouders van een andere groep konden contactgegevens zien.",
        reported_by="Leerkracht groep 4B", risk=Risk.NONE,
        risk_reasons="Alleen namen en contactgegevens; ontvangers zijn ouders van dezelfde "
                     "school; de e-mail is op ons verzoek verwijderd.",
        notify_ap=False,
        notify_reason="Niet gemeld: een risico voor de betrokkenen is onwaarschijnlijk. Geen "
                      "gevoelige gegevens, kleine kring van ontvangers, e-mail verwijderd.",
        subjects_informed=True, informed_at=t + days(1),
        informed_how="Bericht in de ouderapp aan de ouders van groep 4B.",
        signed_off_by=director_id, signed_off_at=t + days(6))
    measure(b, "corrective", "Ontvangers gevraagd de e-mail te verwijderen.", "Directie",
            (t + days(1)).date(), (t + days(1)).date())
    measure(b, "preventive", "Klassenlijsten alleen nog via de ouderapp delen.", "Directie",
            (t + days(30)).date(), (t + days(21)).date())

    # 2. lost USB stick, special categories, notified late (after 72 hours)
    t = now - days(450)
    b = breach(
        t, status=BreachStatus.CLOSED, started_at=t - days(2), ongoing=False,
        ended_at=t + days(9),
        description="Een leerkracht heeft een onversleutelde USB-stick verloren met "
                    "groepsoverzichten en handelingsplannen van groep 6B.",
        nature="read,lost", data_categories="name,dob,results,special",
        special_categories=True, affected_groups="pupils", affected_min=size("6B", 28),
        affected_max=size("6B", 28), data_encrypted=False,
        cause="Gegevens op een eigen, onversleutelde USB-stick gezet.",
        consequences="Vinders kunnen leer- en gezondheidsgegevens van kinderen inzien.",
        reported_by="Leerkracht groep 6B", risk=Risk.HIGH,
        risk_reasons="Bijzondere persoonsgegevens van kinderen, niet versleuteld.",
        notify_ap=True,
        notify_reason="Hoog risico. Gemeld na 80 uur: de stick is eerst twee dagen gezocht; "
                      "de termijn van 72 uur is daardoor overschreden.",
        notified_at=t + hours(80), ap_reference="AP-M-2025-104233",
        late_reason="De stick is eerst twee dagen gezocht in school en bij de leerkracht thuis; "
                    "pas daarna stond vast dat hij kwijt was.",
        subjects_informed=True, informed_at=t + days(4),
        informed_how="Brief aan en gesprek met de ouders van groep 6B.",
        signed_off_by=director_id, signed_off_at=t + days(14))
    measure(b, "preventive", "Alleen nog versleutelde USB-sticks van school; bestanden "
                             "bij voorkeur in OneDrive.", "ICT-coördinator",
            (t + days(30)).date(), (t + days(25)).date())
    _add(session, BreachAmendment(
        breach_id=b.id, author_id=director_id, created_at=t + days(40),
        text="De USB-stick is teruggevonden in de gymzaal van de school. Er zijn geen "
             "aanwijzingen dat de bestanden zijn geopend. Aanvulling gedaan bij de AP."), clock)

    # 3. phishing, account taken over; notified in time
    t = now - days(300)
    b = breach(
        t, status=BreachStatus.CLOSED, started_at=t - hours(20), ended_at=t + hours(1),
        description="Na een phishingmail was het Microsoft 365-account van een leerkracht een "
                    "dag in handen van een onbekende; vanuit het account is spam verstuurd.",
        nature="read", data_categories="name,contact,results",
        affected_groups="pupils,parents,staff", affected_min=30, affected_max=120,
        cause="Phishing; het account had geen tweestapsverificatie.",
        consequences="E-mails met leerlinggegevens kunnen zijn ingezien.",
        reported_by="ICT-partner", risk=Risk.RISK,
        risk_reasons="Toegang tot e-mail met namen en resultaten; geen bijzondere gegevens.",
        notify_ap=True, notify_reason="Risico voor de betrokkenen is niet uit te sluiten.",
        notified_at=t + hours(30), ap_reference="AP-M-2026-011872", subjects_informed=False,
        not_informed_reason="Geen hoog risico: geen aanwijzing dat e-mails zijn gelezen; "
                            "wachtwoord direct gewijzigd.",
        signed_off_by=director_id, signed_off_at=t + days(10))
    measure(b, "preventive", "Tweestapsverificatie verplicht voor alle medewerkers.",
            "ICT-partner", (t + days(14)).date(), (t + days(12)).date())

    # 4. photo in the parent app of a pupil without consent: no risk, not notified
    t = now - days(150)
    breach(
        t, status=BreachStatus.CLOSED, started_at=t - hours(5), ended_at=t + hours(1),
        description="In de ouderapp is een groepsfoto gedeeld waarop een leerling staat "
                    "wiens ouders geen toestemming voor foto's hebben gegeven.",
        nature="read", data_categories="photo", affected_groups="pupils",
        affected_min=1, affected_max=1,
        cause="Fotolijst van de groep niet gecontroleerd vóór het plaatsen.",
        consequences="Ouders van de groep konden de foto zien.", reported_by="Ouder",
        risk=Risk.NONE, risk_reasons="Eén foto in een besloten omgeving, binnen een uur "
                                     "verwijderd.",
        notify_ap=False, notify_reason="Niet gemeld: geen risico; foto binnen een uur "
                                       "verwijderd en ouders ingelicht.",
        subjects_informed=True, informed_at=t + hours(3),
        informed_how="Telefonisch door de leerkracht.",
        signed_off_by=director_id, signed_off_at=t + days(3))

    # 5. stolen laptop, encrypted: assessed, waiting for sign-off
    t = now - days(48)
    breach(
        t, status=BreachStatus.ASSESSED, started_at=t - hours(14),
        description="De laptop van de intern begeleider is uit haar auto gestolen.",
        nature="lost", data_categories="name,dob,results,special",
        special_categories=True, affected_groups="pupils", affected_min=40, affected_max=60,
        data_encrypted=True, cause="Diefstal.", reported_by="Intern begeleider",
        risk=Risk.NONE, risk_reasons="Schijf versleuteld met BitLocker en sterk wachtwoord.",
        notify_ap=False, notify_reason="Niet gemeld: de gegevens zijn versleuteld en voor de "
                                       "dief onleesbaar.")

    # 6. report card in the wrong school bag: notified, measures running
    t = now - days(20)
    b = breach(
        t, status=BreachStatus.NOTIFIED, started_at=t - days(1), ended_at=t,
        description="Het rapport van een leerling uit groep 7A is in de tas van een "
                    "klasgenoot meegegeven.",
        nature="read,sent", data_categories="name,results",
        affected_groups="pupils", affected_min=1, affected_max=1,
        cause="Rapporten in de verkeerde volgorde uitgedeeld.",
        consequences="Andere ouders hebben resultaten en opmerkingen van de leerkracht gezien.",
        reported_by="Ouder", risk=Risk.RISK,
        risk_reasons="Schoolresultaten en persoonlijke opmerkingen over één kind.",
        notify_ap=True, notify_reason="Risico voor de betrokkene.",
        notified_at=t + hours(29), ap_reference="AP-M-2026-052190", subjects_informed=True,
        informed_at=t + hours(6), informed_how="Gesprek met de ouders.")
    measure(b, "preventive", "Rapporten in gesloten envelop op naam meegeven.", "Directie",
            (now + days(10)).date(), None)

    # 7. found at the copier yesterday morning: open, the 72-hour clock is running
    t = now - hours(26)
    breach(
        t, status=BreachStatus.OPEN, ongoing=False,
        description="Een uitdraai uit het zorgdossier van een leerling is bij het "
                    "kopieerapparaat in de personeelskamer gevonden.",
        nature="read", data_categories="name,special",
        special_categories=True, affected_groups="pupils", affected_min=1, affected_max=1,
        reported_by="Conciërge")
    return 7


def _requests(session: Session, clock: Clock, pupil_ids: list[int]) -> int:
    if not pupil_ids:
        return 0
    today = local_today(clock)
    rng = random.Random(len(pupil_ids))

    def guardian_of(pupil_id: int) -> int | None:
        return session.scalar(select(PupilGuardian.guardian_id)
                              .where(PupilGuardian.pupil_id == pupil_id).limit(1))

    plans = [
        (RequestKind.ACCESS, 75, "answered", 21,
         "Ouder vraagt een kopie van alle gegevens over het kind.",
         "Overzicht van de gegevens en het toestemmingsoverzicht per e-mail verstuurd.", 0),
        (RequestKind.RECTIFICATION, 40, "answered", 2,
         "De tweede voornaam van het kind is verkeerd gespeld.",
         "Gecorrigeerd in ParnasSys en in het register.", 0),
        (RequestKind.OBJECTION, 50, "open", None,
         "Bezwaar tegen het gebruik van een leerplatform met leerlinggegevens.", "", 2),
        (RequestKind.ACCESS, 34, "open", None,
         "Gescheiden ouder met gezag vraagt inzage in het leerlingdossier.", "", 0),
        (RequestKind.ERASURE, 9, "open", None,
         "Verzoek om foto's van het kind van de schoolwebsite te verwijderen.", "", 0),
    ]
    for kind, ago, status, took, text, answer, extended in plans:
        pupil_id = rng.choice(pupil_ids)
        received = today - timedelta(days=ago)
        record = DataRequest(
            kind=kind, received_on=received, guardian_id=guardian_of(pupil_id),
            pupil_id=pupil_id, description=text, status=status, answer=answer,
            answered_on=received + timedelta(days=took) if took is not None else None,
            extended_months=extended,
            extension_reason=("Complex verzoek: overleg met de leverancier en de FG nodig."
                              if extended else ""),
            extension_told_on=received + timedelta(days=20) if extended else None,
            created_at=_at(received, rng, clock()))
        _add(session, record, clock)
    return len(plans)


def _suppliers(session: Session, clock: Clock) -> int:
    today = local_today(clock)
    existing = {(name, product) for name, product
                in session.execute(select(Supplier.name, Supplier.product))}
    model = "Model Verwerkersovereenkomst (Privacyconvenant Onderwijs)"
    rows = [
        ("Topicus", "ParnasSys (leerlingadministratie en leerlingvolgsysteem)",
         "naam, geboortedatum, adres, ouders, groep, resultaten, zorg- en verzuimgegevens",
         "Leerlingadministratie, leerlingvolgsysteem, verplichte uitwisseling met DUO",
         "4.0", -900, None, "EU (Nederland)", "Microsoft Azure (EU)"),
        ("Topicus", "Parro (ouderapp)",
         "naam en groep van leerlingen, naam en contactgegevens van ouders, foto's",
         "Communicatie met ouders, delen van foto's met ouders van de groep",
         "4.0", -700, 3 * 365, "EU (Nederland)", ""),
        ("Basispoort", "Basispoort (inloggen op digitaal lesmateriaal)",
         "naam, groep, leerlingnummer (pseudoniem)",
         "Eén inlog voor digitaal lesmateriaal van uitgevers", "3.0", -1500, None,
         "EU (Nederland)", ""),
        ("Snappet", "Snappet (adaptief oefenen)",
         "naam, groep, antwoorden en resultaten", "Oefenen en volgen van de voortgang",
         "4.0", -500, 3 * 365, "EU (Nederland)", "Amazon Web Services (EU)"),
        ("Gynzy", "Gynzy (digibord en oefenen)", "naam, groep, resultaten",
         "Lesmateriaal op het digibord en oefenen", "3.0", -1080, 1080 + 24,
         "EU (Nederland)", "Google Cloud (EU)"),  # ends in 24 days: renew
        ("Microsoft", "Microsoft 365 (e-mail, Teams, OneDrive)",
         "naam en e-mailadres van medewerkers en leerlingen groep 6-8, bestanden",
         "E-mail, samenwerken en opslag van documenten", "4.0", -600, None,
         "EU (EU Data Boundary)", "zie lijst subverwerkers Microsoft"),
        ("Fotostudio De Lens", "Schoolfotografie",
         "naam en groep van leerlingen met toestemming, foto's",
         "Portret- en groepsfoto's maken; bestellen door ouders", "3.0", -330, 2 * 365,
         "EU (Nederland)", ""),
    ]
    count = 0
    for name, product, data, purpose, version, signed, term, where, subs in rows:
        if (name, product) in existing:
            continue
        signed_on = today + timedelta(days=signed)
        _add(session, Supplier(
            name=name, product=product, data_categories=data, purpose=purpose,
            agreement_model=model, agreement_version=version, signed_on=signed_on,
            ends_on=signed_on + timedelta(days=term) if term else None,
            privacy_insert_ref=f"Privacybijsluiter {name} {signed_on.year}",
            storage_location=where, sub_processors=subs, created_at=clock()), clock)
        count += 1
    return count


def _exchanges(session: Session, clock: Clock, office_id: int | None) -> int:
    today = local_today(clock)
    ggd = session.scalar(select(ConsentPurpose.id)
                         .where(ConsentPurpose.code == "uitwisseling_ggd_jgz"))
    active = select(Pupil.id).where(Pupil.left_on.is_(None)).order_by(Pupil.id)
    truant = session.scalar(active.where(Pupil.year_group == 6).limit(1))
    consented = list(session.scalars(
        select(ConsentEvent.pupil_id).where(ConsentEvent.purpose_id == ggd,
                                            ConsentEvent.decision == Decision.GIVEN)
        .join(Pupil, Pupil.id == ConsentEvent.pupil_id)
        .where(Pupil.left_on.is_(None), Pupil.year_group == 2)
        .order_by(ConsentEvent.pupil_id).limit(3))) if ggd else []
    leavers = list(session.scalars(
        select(Pupil.id).where(Pupil.left_on.is_not(None), Pupil.year_group == 8)
        .order_by(Pupil.left_on.desc(), Pupil.id).limit(4)))
    plans = [
        (today - timedelta(days=62), "Leerplichtambtenaar gemeente Amersfoort", "leerplicht",
         "Naam, geboortedatum, groep en verzuimoverzicht (ongeoorloofd verzuim: 16 uur in "
         "4 weken).", LegalBasis.LAW, None,
         "Verzuimmelding via het verzuimregister van DUO (Leerplichtwet).", [truant]),
        (today - timedelta(days=35), "Jeugdgezondheidszorg GGD regio Utrecht", "zorg",
         "Naam, geboortedatum, groep en observaties over de taalontwikkeling.",
         LegalBasis.CONSENT, ggd, "Overleg met de jeugdverpleegkundige (groep 2).", consented),
        (today - timedelta(days=140), "Stedelijk College (voortgezet onderwijs)", "school",
         "Onderwijskundig rapport via het overstapdossier (OSO).", LegalBasis.LAW, None,
         "Wettelijk verplicht bij overstap naar het voortgezet onderwijs (WPO).", leavers),
    ]
    count = 0
    for day, recipient, kind, data, basis, purpose, note, pupils in plans:
        pupils = [p for p in pupils if p is not None]
        if not pupils:
            continue
        record = _add(session, Exchange(
            occurred_on=day, recipient=recipient, recipient_kind=kind, data_shared=data,
            legal_basis=basis, purpose_id=purpose, note=note, recorded_by=office_id,
            created_at=_at(day, random.Random(count), clock())), clock)
        session.execute(insert(ExchangePupil),
                        [{"exchange_id": record.id, "pupil_id": p} for p in pupils])
        audit_many(session, SYSTEM, "demo.create", "exchange_pupil",
                   [f"{record.id}/{p}" for p in pupils], clock=clock)
        count += 1
    return count


def _vulnerability_reports(session: Session, clock: Clock) -> int:
    now = _office_now(clock)
    today = local_today(clock)
    _add(session, VulnerabilityReport(
        received_at=now - timedelta(days=120), reporter="whitehat_nl (pseudoniem)",
        contact="melding@whitehat.example",
        description="De map met uploads van de schoolwebsite was openbaar te doorzoeken.",
        acknowledged_at=now - timedelta(days=119),
        assessment="Terecht; geen leerlinggegevens in de map, wel nieuwsbrieven met foto's.",
        expected_fix_on=today - timedelta(days=110), fixed_at=now - timedelta(days=112),
        updates_sent=",".join(str(today - timedelta(days=d)) for d in (119, 112)),
        credit_wanted=True), clock)
    _add(session, VulnerabilityReport(
        received_at=now - timedelta(days=2), reporter="Anoniem", contact="",
        description="Het contactformulier op de website laat HTML-code toe.",
        acknowledged_at=now - timedelta(days=1), expected_fix_on=today + timedelta(days=12),
        updates_sent=str(today - timedelta(days=1))), clock)
    return 2
