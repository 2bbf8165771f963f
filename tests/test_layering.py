"""The layers hold: db/, desktop/printing and the command line load no Qt at all.

Checked in a fresh process, so a module the test run imported earlier cannot hide it."""

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import db, desktop.printing
for package in (db, desktop.printing):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations" not in info.name:  # Alembic loads those itself
            importlib.import_module(info.name)
import desktop.cli
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
print(",".join(loaded) or "none")
"""


def test_db_printing_and_the_cli_load_no_qt():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "none", done.stdout
