"""SQLAlchemy models of the register. Dialect-neutral: the same schema runs on PostgreSQL.

Enumerations are stored as short strings (no native enums, no CHECK constraints) so that a
later revision can add a value without rebuilding a table. Timestamps are UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC. Refuses naive input so no local time slips in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: ANN201
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):  # noqa: ANN201
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# --- which school a row belongs to ----------------------------------------------------------

# The key in a connection's `info` under which db.tenancy keeps the school of the transaction
# that runs on it (set when a session begins; see db/tenancy.py).
CONNECTION_SCHOOL = "privacyregister.school_id"


def current_school(context) -> int:  # noqa: ANN001 - SQLAlchemy's DefaultExecutionContext
    """The default of every `school_id`: the school of the session that writes the row. The
    ORM, Core inserts and db.bulk all get it here, so no writer names the school itself."""
    from db.errors import RegisterError

    school_id = context.connection.info.get(CONNECTION_SCHOOL)
    if school_id is None:
        raise RegisterError("Er is geen school gekozen: gegevens worden altijd bij een school "
                            "opgeslagen. Er is niets opgeslagen.")
    return school_id


class SchoolOwned:
    """A row that belongs to one school (every table except school, setting's register-wide
    rows, board accounts, login_throttle and alembic_version). On PostgreSQL row-level
    security keeps the schools apart (revision 0009); db.tenancy fills the column."""

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True,
                                           default=current_school)


# --- enumerations -------------------------------------------------------------------------

class Role(StrEnum):
    BEHEERDER = "beheerder"          # administrator of the application
    ADMINISTRATIE = "administratie"  # office administrator
    DIRECTIE = "directie"            # director
    LEERKRACHT = "leerkracht"        # teacher
    FG = "fg"                        # data protection officer, read-only (board role)
    BESTUUR = "bestuur"              # the school board (bevoegd gezag), read-only (board role)


class Decision(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class Channel(StrEnum):
    PAPER = "paper"
    PARRO = "parro"
    SOCIAL_SCHOOLS = "social_schools"
    EMAIL = "email"
    IN_PERSON = "in_person"
    OTHER_APP = "other_app"  # a parent app other than Parro or Social Schools


class BreachStatus(StrEnum):
    OPEN = "open"
    ASSESSED = "assessed"
    NOTIFIED = "notified"
    CLOSED = "closed"


class Risk(StrEnum):
    NONE = "none"
    RISK = "risk"
    HIGH = "high"


class RequestKind(StrEnum):
    ACCESS = "access"                # inzage
    RECTIFICATION = "rectification"  # correctie
    ERASURE = "erasure"              # verwijdering
    RESTRICTION = "restriction"      # beperking
    OBJECTION = "objection"          # bezwaar


class RequestStatus(StrEnum):
    """Where a verzoek stands. Answered and withdrawn requests are closed: their term no
    longer runs (the overview, the register and the access export all ask `closed`)."""

    OPEN = "open"
    EXTENDED = "extended"    # verlengd (AVG art. 12(3))
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"

    @property
    def closed(self) -> bool:
        return self in (RequestStatus.ANSWERED, RequestStatus.WITHDRAWN)


class LegalBasis(StrEnum):
    LAW = "law"
    CONSENT = "consent"


# --- the school and its users ------------------------------------------------------------

class Setting(Base):
    """Key/value settings of a school (school-year rhythm, idle minutes, contacts). A row
    without a school (school_id NULL) belongs to the register as a whole: its database id.
    A key is unique per school."""

    __tablename__ = "setting"
    __table_args__ = (UniqueConstraint("school_id", "key", name="uq_setting_school_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), nullable=True,
                                                  index=True, default=current_school)
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text, default="")


class School(Base):
    __tablename__ = "school"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    brin: Mapped[str] = mapped_column(String(8))
    fg_name: Mapped[str] = mapped_column(String(200), default="")
    fg_email: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class User(Base):
    """An app user. Passwords are argon2 hashes; `role` is one of Role. A user name is unique
    per school. A board account (bestuur, or an FG of the whole board) has no school
    (school_id NULL): it reads every school and writes none."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("school_id", "username",
                                       name="uq_app_user_school_username"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), nullable=True,
                                                  index=True, default=current_school)
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    group_name: Mapped[str | None] = mapped_column(String(20), nullable=True)  # teacher's group
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- pupils and guardians ----------------------------------------------------------------

class Pupil(SchoolOwned, Base):
    """Leerling. Data minimisation: no BSN, no address.

    The source system's key (ParnasSys leerling-ID) belongs to one pupil of the school: the
    unique constraint on (source_key, legacy_duplicate) makes a second pupil with the same key
    impossible in the engine, whatever two imports do at the same time. `legacy_duplicate` is
    0 for every pupil except those that already shared a key with an older pupil before
    revision 0004 (there it is the pupil's own id, so they stay as they were; see 0004).
    """

    __tablename__ = "pupil"
    __table_args__ = (
        Index("ix_pupil_last_name", "last_name"),
        Index("ix_pupil_group", "group_name"),
        UniqueConstraint("school_id", "source_key", "legacy_duplicate",
                         name="uq_pupil_school_source_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    legacy_duplicate: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_name: Mapped[str] = mapped_column(String(100))           # roepnaam
    given_names: Mapped[str] = mapped_column(String(200), default="")  # voornamen
    prefix: Mapped[str] = mapped_column(String(30), default="")    # voorvoegsel
    last_name: Mapped[str] = mapped_column(String(150))
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True)  # jaargroep 1-8
    group_name: Mapped[str] = mapped_column(String(20), default="")  # groep, e.g. "5B"
    enrolled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # optimistic version check (revision 0010): SQLAlchemy adds "AND version = <loaded>" to
    # every UPDATE and DELETE and raises StaleDataError when another session changed the row
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    links: Mapped[list[PupilGuardian]] = relationship(back_populates="pupil")


class Guardian(SchoolOwned, Base):
    """Ouder/verzorger."""

    __tablename__ = "guardian"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    prefix: Mapped[str] = mapped_column(String(30), default="")
    last_name: Mapped[str] = mapped_column(String(150))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address_secret: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # optimistic version check (revision 0010): SQLAlchemy adds "AND version = <loaded>" to
    # every UPDATE and DELETE and raises StaleDataError when another session changed the row
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    links: Mapped[list[PupilGuardian]] = relationship(back_populates="guardian")


class PupilGuardian(SchoolOwned, Base):
    """Which guardian belongs to which pupil, their relation and whether they hold gezag."""

    __tablename__ = "pupil_guardian"
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), primary_key=True)
    guardian_id: Mapped[int] = mapped_column(ForeignKey("guardian.id"), primary_key=True)
    relation: Mapped[str] = mapped_column(String(40), default="ouder")
    has_authority: Mapped[bool] = mapped_column(Boolean, default=True)  # gezag

    pupil: Mapped[Pupil] = relationship(back_populates="links")
    guardian: Mapped[Guardian] = relationship(back_populates="links")


class SpecialCategoryRecord(SchoolOwned, Base):
    """Bijzondere persoonsgegevens (medical, religion). Kept apart; every read is audited."""

    __tablename__ = "special_category_record"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))  # medical | religion | other
    description: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)


# --- consents ---------------------------------------------------------------------------

class ConsentPurpose(SchoolOwned, Base):
    __tablename__ = "consent_purpose"
    __table_args__ = (UniqueConstraint("school_id", "code", name="uq_consent_purpose_school_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    is_image: Mapped[bool] = mapped_column(Boolean, default=False)  # counts for "niet op de foto"
    version: Mapped[int] = mapped_column(Integer, default=1)         # current text version
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConsentPurposeText(SchoolOwned, Base):
    """One version of a purpose's wording; decisions keep the version they were given under."""

    __tablename__ = "consent_purpose_text"
    __table_args__ = (UniqueConstraint("purpose_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose_id: Mapped[int] = mapped_column(ForeignKey("consent_purpose.id"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConsentEvent(SchoolOwned, Base):
    """Toestemming: append-only. The current state of a purpose is the latest event."""

    __tablename__ = "consent_event"
    __table_args__ = (Index("ix_consent_event_pupil_purpose", "pupil_id", "purpose_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"))
    purpose_id: Mapped[int] = mapped_column(ForeignKey("consent_purpose.id"))
    purpose_version: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(12))
    decided_on: Mapped[date] = mapped_column(Date)
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardian.id"), nullable=True)
    by_pupil: Mapped[bool] = mapped_column(Boolean, default=False)  # pupil aged 16 or over
    channel: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- breaches and vulnerability reports --------------------------------------------------

class Breach(SchoolOwned, Base):
    """Datalek. Every breach is documented, also the ones not notified (AVG art. 33(5))."""

    __tablename__ = "breach"
    __table_args__ = (UniqueConstraint("school_id", "reference",
                                       name="uq_breach_school_reference"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20))  # e.g. DL-2026-003
    status: Mapped[str] = mapped_column(String(12), default=BreachStatus.OPEN)
    discovered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ongoing: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    nature: Mapped[str] = mapped_column(String(200), default="")          # comma-separated codes
    data_categories: Mapped[str] = mapped_column(String(400), default="")  # comma-separated codes
    special_categories: Mapped[bool] = mapped_column(Boolean, default=False)
    affected_groups: Mapped[str] = mapped_column(String(100), default="")  # pupils,parents,staff
    affected_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    affected_max: Mapped[int | None] = mapped_column(Integer, nullable=True)
    data_encrypted: Mapped[bool] = mapped_column(Boolean, default=False)
    cause: Mapped[str] = mapped_column(Text, default="")
    consequences: Mapped[str] = mapped_column(Text, default="")
    reported_by: Mapped[str] = mapped_column(String(200), default="")
    risk: Mapped[str | None] = mapped_column(String(8), nullable=True)
    risk_reasons: Mapped[str] = mapped_column(Text, default="")
    notify_ap: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    notify_reason: Mapped[str] = mapped_column(Text, default="")
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    late_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # art. 33(1)
    ap_reference: Mapped[str] = mapped_column(String(64), default="")
    supplemented_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    subjects_informed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    informed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    informed_how: Mapped[str] = mapped_column(Text, default="")
    not_informed_reason: Mapped[str] = mapped_column(Text, default="")
    signed_off_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    signed_off_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # optimistic version check (revision 0010): SQLAlchemy adds "AND version = <loaded>" to
    # every UPDATE and DELETE and raises StaleDataError when another session changed the row
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class BreachMeasure(SchoolOwned, Base):
    __tablename__ = "breach_measure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    breach_id: Mapped[int] = mapped_column(ForeignKey("breach.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # corrective | preventive
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class BreachAmendment(SchoolOwned, Base):
    """Information added after sign-off. Append-only."""

    __tablename__ = "breach_amendment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    breach_id: Mapped[int] = mapped_column(ForeignKey("breach.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # which fact it amends (db.breaches.BreachFact); '' for one made before revision 0008
    fact: Mapped[str] = mapped_column(String(16), default="", server_default="")


class VulnerabilityReport(SchoolOwned, Base):
    """Kwetsbaarheidsmelding (responsible disclosure). Confidential; a pseudonym is allowed."""

    __tablename__ = "vulnerability_report"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reporter: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    assessment: Mapped[str] = mapped_column(Text, default="")
    expected_fix_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    fixed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updates_sent: Mapped[str] = mapped_column(Text, default="")  # ISO dates, comma-separated
    credit_wanted: Mapped[bool] = mapped_column(Boolean, default=False)
    breach_id: Mapped[int | None] = mapped_column(ForeignKey("breach.id"), nullable=True)


# --- accountability ----------------------------------------------------------------------

class DataRequest(SchoolOwned, Base):
    """Verzoek van een betrokkene. Deadline one month after receipt (AVG art. 12(3))."""

    __tablename__ = "data_request"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    received_on: Mapped[date] = mapped_column(Date)
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("guardian.id"), nullable=True)
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupil.id"), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    extended_months: Mapped[int] = mapped_column(Integer, default=0)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    extension_told_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.OPEN)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # optimistic version check (revision 0010): SQLAlchemy adds "AND version = <loaded>" to
    # every UPDATE and DELETE and raises StaleDataError when another session changed the row
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class Supplier(SchoolOwned, Base):
    """Leverancier and its verwerkersovereenkomst."""

    __tablename__ = "supplier"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    product: Mapped[str] = mapped_column(String(200), default="")
    data_categories: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    agreement_model: Mapped[str] = mapped_column(String(100), default="")
    agreement_version: Mapped[str] = mapped_column(String(40), default="")
    signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    privacy_insert_ref: Mapped[str] = mapped_column(String(200), default="")  # privacybijsluiter
    storage_location: Mapped[str] = mapped_column(String(200), default="")
    sub_processors: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # optimistic version check (revision 0010): SQLAlchemy adds "AND version = <loaded>" to
    # every UPDATE and DELETE and raises StaleDataError when another session changed the row
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class Exchange(SchoolOwned, Base):
    """Gegevensuitwisseling with a third party."""

    __tablename__ = "exchange"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(200))
    recipient_kind: Mapped[str] = mapped_column(String(40), default="")
    data_shared: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(String(10))
    purpose_id: Mapped[int | None] = mapped_column(ForeignKey("consent_purpose.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ExchangePupil(SchoolOwned, Base):
    __tablename__ = "exchange_pupil"
    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchange.id"), primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), primary_key=True)


class RetentionRule(SchoolOwned, Base):
    """Bewaartermijn per category, counted from the pupil's leaving date."""

    __tablename__ = "retention_rule"
    __table_args__ = (UniqueConstraint("school_id", "category",
                                       name="uq_retention_rule_school_category"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200))
    years_after_leaving: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")


class Erasure(SchoolOwned, Base):
    """Tombstone: that an erasure happened, when, on which request, by whom. No names."""

    __tablename__ = "erasure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_ref: Mapped[int] = mapped_column(Integer)  # the former pupil.id, no personal data
    category: Mapped[str] = mapped_column(String(64), default="all")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("data_request.id"), nullable=True)
    reason: Mapped[str] = mapped_column(String(40), default="")  # request | retention
    erased_at: Mapped[datetime] = mapped_column(UtcDateTime)
    erased_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)


class AuditEntry(Base):
    """Append-only, hash-chained log: who did what to which record. No personal data.
    One chain per school: `seq` counts per school (the key is school and seq)."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_record", "table_name", "record_id"),)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), primary_key=True,
                                           autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    table_name: Mapped[str] = mapped_column(String(64), default="")
    record_id: Mapped[str] = mapped_column(String(64), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the record's content after the action (db.audit.row_digest); NULL for entries
    # without a covered record and for entries written before revision 0005
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True)


class LoginThrottle(Base):
    """Failed log-ins per typed user name, kept across restarts (brute-force protection).

    `name_hash` is a keyed hash of the normalised name, never the name itself: unknown names
    are throttled too, and nothing here says whether a name exists."""

    __tablename__ = "login_throttle"
    name_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    locked_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


# --- what the school tells parents and the supervisor -------------------------------------

class ProcessingActivity(SchoolOwned, Base):
    """Verwerkingsactiviteit of the register of processing activities (AVG art. 30(1) b–g).

    Recipients and retention are partly links (the suppliers and retention terms of this
    register, so a change there shows here) and partly the school's own words."""

    __tablename__ = "processing_activity"
    __table_args__ = (UniqueConstraint("school_id", "code",
                                       name="uq_processing_activity_school_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64))  # a default's code, or own
    name: Mapped[str] = mapped_column(String(200))
    purposes: Mapped[str] = mapped_column(Text, default="")          # b
    subjects: Mapped[str] = mapped_column(Text, default="")          # c: betrokkenen
    data_categories: Mapped[str] = mapped_column(Text, default="")   # c: gegevens
    legal_basis: Mapped[str] = mapped_column(Text, default="")       # art. 6 (not art. 30)
    recipients: Mapped[str] = mapped_column(Text, default="")        # d, besides the suppliers
    transfers: Mapped[str] = mapped_column(Text, default="")         # e
    retention: Mapped[str] = mapped_column(Text, default="")         # f, besides the terms
    security: Mapped[str] = mapped_column(Text, default="")          # g
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProcessingActivitySupplier(SchoolOwned, Base):
    """A supplier (verwerker) that receives data for an activity."""

    __tablename__ = "processing_activity_supplier"
    activity_id: Mapped[int] = mapped_column(ForeignKey("processing_activity.id"),
                                             primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"), primary_key=True)


class ProcessingActivityRetention(SchoolOwned, Base):
    """A retention term (bewaartermijn) of the register that applies to an activity."""

    __tablename__ = "processing_activity_retention"
    activity_id: Mapped[int] = mapped_column(ForeignKey("processing_activity.id"),
                                             primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("retention_rule.id"), primary_key=True)


class SchoolGuideSection(SchoolOwned, Base):
    """A section of the school-guide privacy paragraph as the school edited it. Sections the
    school never edited are not stored: the shipped template is their text."""

    __tablename__ = "school_guide_section"
    __table_args__ = (UniqueConstraint("school_id", "key",
                                       name="uq_school_guide_section_school_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
