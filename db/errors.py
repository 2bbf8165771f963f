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


class StorageError(VaultError):
    """The operating system or SQLite refused a read or write of a register file.

    Each subclass names one cause and what to do about it; `translate_storage_error` in
    db/vault.py picks the subclass from the errno or SQLite's message.
    """


class DiskFullError(StorageError):
    """ENOSPC / SQLITE_FULL: the disk (or the user's quota) is full."""


class ReadOnlyError(StorageError):
    """EROFS / SQLITE_READONLY: the folder, file or whole drive cannot be written."""


class FileAccessError(StorageError):
    """EACCES / EPERM: this Windows/Linux user may not write (or read) the file or folder."""


class DatabaseLockedError(StorageError):
    """SQLITE_BUSY: another program (or a second Privacyregister) holds the file."""


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


class BackupFirstError(RegisterError):
    """The backup that must come before a deletion failed, so nothing was deleted.
    `cause` is the error of the backup itself (a StorageError, an OSError, …)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class ServerError(VaultError):
    """The register's PostgreSQL server (db/server.py) could not be used; the message says why
    and what to do. Never names a person, nor the server's own words (they may hold a name)."""


class ServerAddressError(ServerError):
    """The server's address (URL) or the CA file given with it is not usable."""


class InsecureConnectionError(ServerError):
    """A connection without TLS, or with TLS whose certificate is not verified (sslmode other
    than verify-full): refused, except a plain loopback connection asked for in tests."""


class ServerPasswordMissingError(ServerError):
    """The OS keyring holds no password for this server address (and none was given)."""


class ServerLoginError(ServerError):
    """The server refused the user name or password."""


class ServerCertificateError(ServerError):
    """The server's certificate did not verify against the board's CA (or not for its name)."""


class ServerUnreachableError(ServerError):
    """The server did not answer, or the connection broke off."""


class ServerBackupError(ServerError):
    """A register on a server is backed up by the server (pg_dump), not by the program."""


class ChangedElsewhereError(RegisterError):
    """Optimistic version check: the record was changed (or removed) by someone else after
    the form was loaded, so this save was refused and rolled back; the other's change stands.
    `what` is the record in Dutch ("deze leerling"). The form keeps the user's input."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"Iemand anders heeft {what} intussen gewijzigd. Uw wijzigingen zijn niet "
            "opgeslagen; ze staan nog in het venster. Laad de nieuwe gegevens en breng uw "
            "wijzigingen daarna opnieuw aan.")
        self.what = what
