"""The installation self-test renders and reads back every PDF kind, touching no keyring."""

import io
from datetime import UTC, datetime

from desktop import selftest
from desktop.printing.recovery_key import write_recovery_pdf
from desktop.selftest import PrintCheck, print_checks, run_selftest


def test_selftest_passes_and_reports_one_line(memory_keyring):
    out = io.StringIO()
    assert run_selftest(out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Zelftest geslaagd")
    assert f"{len(print_checks())} PDF-soorten" in lines[0]
    assert memory_keyring.entries == {}  # no keyring writes


def test_selftest_fails_when_a_pdf_lacks_its_text(monkeypatch):
    def wrong(vault, folder):
        return write_recovery_pdf(folder / "x.pdf", school_name="Andere school", brin="12AB",
                                  database_id="x", recovery_key="0000-" * 12 + "0000",
                                  created_at=datetime.now(UTC))

    monkeypatch.setattr(selftest, "print_checks",
                        lambda: [PrintCheck("herstelsleutel", wrong, ("Zelftestschool",))])
    out = io.StringIO()
    assert run_selftest(out) == 1
    assert "MISLUKT" in out.getvalue() and "herstelsleutel" in out.getvalue()


def test_selftest_fails_when_rendering_raises(monkeypatch):
    def broken(vault, folder):
        raise OSError("schijf vol")

    monkeypatch.setattr(selftest, "print_checks",
                        lambda: [PrintCheck("lijst", broken, ("x",))])
    out = io.StringIO()
    assert run_selftest(out) == 1 and "lijst (OSError)" in out.getvalue()
