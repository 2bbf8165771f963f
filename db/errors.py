"""Errors the register raises. Their messages are Dutch and safe to show: no personal data."""


class RegisterError(Exception):
    """Base of every error the register raises on purpose."""


class VaultError(RegisterError):
    """The database file could not be created or opened."""


class DatabaseNotFoundError(VaultError):
    pass


class NotADatabaseError(VaultError):
    pass


class WrongKeyError(VaultError):
    pass


class MissingKeyError(VaultError):
    pass


class NewerSchemaError(VaultError):
    pass


class NetworkShareError(VaultError):
    pass


class RecoveryKeyError(RegisterError):
    """A typed recovery key (herstelsleutel) is malformed; the message names the group."""


class PermissionDenied(RegisterError):
    pass


class LoginError(RegisterError):
    pass


class LoginThrottled(LoginError):
    """Too many failed attempts for this user name; `seconds` until the next may be tried."""

    def __init__(self, message: str, seconds: int) -> None:
        super().__init__(message)
        self.seconds = seconds


class ValidationError(RegisterError):
    """Bad input. `field` names the field the message belongs to, for the GUI to point at."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(RegisterError):
    pass


class Cancelled(RegisterError):
    """The user cancelled a long task (import, demo, batch print); its transaction rolls back."""
