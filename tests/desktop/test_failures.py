"""The failure log: where something failed goes to a rotating file in the user data folder,
never what the error said (it may name a pupil)."""

import sys
import threading

from desktop import app, failures


def test_an_unexpected_error_is_logged_without_its_message(monkeypatch):
    monkeypatch.setattr(app, "QApplication", type("NoApp", (), {"instance": staticmethod(
        lambda: None)}))
    try:
        raise ValueError("Zoë van den Berg heeft dyslexie")
    except ValueError as error:
        app._excepthook(ValueError, error, error.__traceback__)
    text = failures.log_path().read_text(encoding="utf-8")
    assert "builtins.ValueError" in text and "test_failures.py" in text
    assert "Zoë" not in text and "dyslexie" not in text
    assert oct(failures.log_path().stat().st_mode & 0o777) == "0o600"


def test_a_background_thread_that_dies_is_logged(monkeypatch):
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    failures.install_hooks()

    def work() -> None:
        raise RuntimeError("geheim")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    text = failures.log_path().read_text(encoding="utf-8")
    assert "achtergrondtaak" in text and "builtins.RuntimeError" in text
    assert "geheim" not in text
