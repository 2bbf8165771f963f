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


class DamagedFileError(VaultError):
    """The file does not open with the key that belongs to it: damaged or replaced."""


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


class ValidationError(RegisterError):
    """Bad input. `field` names the field the message belongs to, for the GUI to point at."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(RegisterError):
    pass


class Cancelled(RegisterError):
    """The user cancelled a long task (import, demo, batch print); its transaction rolls back."""
