"""A child process for tests/desktop/test_cli_messages.py: Ctrl-C landing inside the driver's
read of a register file (the second fetch of the copy's read of the audit entries), as a
SIGINT can during `migrate-to`. SQLAlchemy then closes the connection and logs that the
cursor could not be closed. `python -m tests.support.interrupted_read_child FILE PASSPHRASE
cli|plain`: with `cli` the command line's logging set-up is applied first."""

import sys
from pathlib import Path

import db.migrate_to
from db.migrate_to import _batches, open_read_only, tables_to_copy


class InterruptedFetch:
    """The driver's cursor, with Ctrl-C in its second fetch."""

    def __init__(self, cursor: object) -> None:
        self.cursor, self.fetches = cursor, 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.cursor, name)

    def fetchmany(self, *args: object) -> list:
        self.fetches += 1
        if self.fetches == 2:
            raise KeyboardInterrupt
        return self.cursor.fetchmany(*args)


def main(path: Path, passphrase: str, mode: str) -> None:
    if mode == "cli":
        from desktop.cli import quiet_library_logging

        quiet_library_logging()
    db.migrate_to.BATCH = 10  # several reads from a small register
    engine = open_read_only(path, passphrase=passphrase)
    table = next(t for t in tables_to_copy() if t.name == "audit_entry")
    try:
        try:
            with engine.connect() as source:
                batches = _batches(source, table)
                next(batches)
                result = batches.gi_frame.f_locals["result"]
                result.cursor = InterruptedFetch(result.cursor)
                for _ in batches:
                    pass
        finally:
            engine.dispose()
    except KeyboardInterrupt:
        print("Afgebroken", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
