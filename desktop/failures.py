"""The failure log: a rotating file in the user data folder that support can read.

It records what failed and where (the exception's type and the code path), never the
exception's message: messages can hold names or other free text. Qt-free, so the CLI and the
worker threads use it too.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from pathlib import Path

from desktop import paths

LOGGER = "privacyregister.failures"
MAX_BYTES, KEEP = 512 * 1024, 3


def log_path() -> Path:
    return paths.data_dir() / "logs" / "privacyregister.log"


def _logger() -> logging.Logger:
    logger = logging.getLogger(LOGGER)
    target = log_path()
    if not any(getattr(h, "baseFilename", None) == str(target) for h in logger.handlers):
        for old in list(logger.handlers):
            logger.removeHandler(old)
            old.close()
        from logging.handlers import RotatingFileHandler  # when the first failure is logged

        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not target.exists():
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o600))
        handler = RotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=KEEP,
                                      encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.ERROR)
        logger.propagate = False
    return logger


def describe(error: BaseException) -> str:
    """The exception's type and where it was raised, frame by frame; no message text."""
    lines = [f"{type(error).__module__}.{type(error).__qualname__}"]
    for frame in traceback.extract_tb(error.__traceback__):
        lines.append(f'  File "{Path(frame.filename).name}", line {frame.lineno}, '
                     f"in {frame.name}")
    cause = error.__cause__ or error.__context__
    if cause is not None and cause is not error:
        lines.append("caused by " + describe(cause))
    return "\n".join(lines)


def log_failure(what: str, error: BaseException) -> None:
    """Write one failure. `what` is a fixed text of the program (never user input)."""
    try:
        _logger().error("%s\n%s", what, describe(error))
    except OSError:
        pass  # a full or read-only disk must not turn one failure into two


def install_hooks() -> None:
    """Uncaught errors on any thread are logged before Python reports them."""
    previous = sys.excepthook

    def on_error(kind, error, tb):  # noqa: ANN001
        if error is not None and not isinstance(error, KeyboardInterrupt):
            log_failure("onverwachte fout", error.with_traceback(tb))
        previous(kind, error, tb)

    def on_thread_error(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log_failure("onverwachte fout in een achtergrondtaak", args.exc_value)

    sys.excepthook = on_error
    threading.excepthook = on_thread_error
