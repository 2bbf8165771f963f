"""Settings of the register, declared once and read typed.

    IDLE_LOCK_MINUTES = Setting("idle_lock_minutes", int, default=10, bounds=(1, 240))
    minutes = read_setting(session, actor, IDLE_LOCK_MINUTES)      # an int, within bounds

No caller parses a stored text or clamps a value: a value that is missing or unreadable reads
as the default, one outside the bounds as the nearest bound; writing refuses what is outside.
Storage is db.school's key/value table (get_setting/put_setting: read by every active user,
written with SETTINGS, audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from db.errors import ValidationError
from db.permissions import Actor, Permission, require
from db.school import get_setting, put_setting

V = TypeVar("V", int, str, bool)
_YES, _NO = ("1", "true", "ja"), ("0", "false", "nee")


@dataclass(frozen=True)
class Setting(Generic[V]):
    """One setting: its name, its type, its default and (for numbers) its bounds."""

    name: str
    kind: type[V]
    default: V
    bounds: tuple[V, V] | None = None
    stored_as: str = ""  # the key in the settings table when it differs from `name`

    @property
    def key(self) -> str:
        return self.stored_as or self.name

    def parse(self, text: str | None) -> V:
        """The stored text as a value of `kind`, within the bounds; the default when unreadable."""
        if text is None:
            return self.default
        if self.kind is bool:
            word = text.strip().casefold()
            return True if word in _YES else False if word in _NO else self.default
        try:
            value = self.kind(text.strip())
        except ValueError:
            return self.default
        if self.bounds is not None:
            low, high = self.bounds
            value = min(max(value, low), high)
        return value

    def check(self, value: V) -> V:
        """The value to store, or ValidationError (field = the setting's name) in Dutch."""
        if not isinstance(value, self.kind) or (isinstance(value, bool) and self.kind is not bool):
            raise ValidationError("Deze waarde is niet geldig.", field=self.name)
        if self.bounds is not None:
            low, high = self.bounds
            if not low <= value <= high:
                raise ValidationError(f"Kies een waarde van {low} tot en met {high}.",
                                      field=self.name)
        return value

    def text(self, value: V) -> str:
        """How a checked value is stored: a yes/no as "1"/"0", anything else as str()."""
        if self.kind is bool:
            return "1" if value else "0"
        return str(value)


IDLE_LOCK_MINUTES: Setting[int] = Setting("idle_lock_minutes", int, default=10,
                                          bounds=(1, 240), stored_as="lock.idle_minutes")
# the consent form (toestemmingsformulier): "graag terug vóór" falls this many days after
# printing; the age-16 sentence only where pupils can reach 16 (not at a basisschool)
FORM_RETURN_DAYS: Setting[int] = Setting("form_return_days", int, default=14, bounds=(1, 90),
                                         stored_as="consent_forms.return_days")
PUPILS_FROM_16: Setting[bool] = Setting("pupils_from_16", bool, default=False,
                                        stored_as="consent_forms.pupils_from_16")


def read_setting(session: Session, actor: Actor, setting: Setting[V]) -> V:
    """The setting's value, typed; every active user may read settings (db.school)."""
    stored = get_setting(session, actor, setting.key, "")
    return setting.parse(stored if stored != "" else None)


def write_setting(session: Session, actor: Actor, setting: Setting[V], value: V) -> V:
    """Store a value (SETTINGS permission, audited by db.school.put_setting)."""
    require(actor, Permission.SETTINGS)
    checked = setting.check(value)
    put_setting(session, actor, setting.key, setting.text(checked))
    return checked
