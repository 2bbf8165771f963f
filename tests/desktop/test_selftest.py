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


def test_selftest_reads_the_access_export_encrypted_with_aes_256(memory_keyring, tmp_path):
    """The frozen build runs this self-test: it proves the AES backend travelled along."""
    from pypdf import PdfReader

    from db.demo import populate_demo
    from db.vault import Vault
    from desktop.selftest import _render_access_export

    check = next(c for c in print_checks() if c.name == "inzage")
    assert check.password
    vault, _ = Vault.create(tmp_path / "z.db", passphrase="zelftest-wachtwoord-123")
    try:
        with vault.session() as session:
            populate_demo(session, pupils=10)
        path = _render_access_export(vault, tmp_path)
    finally:
        vault.engine.dispose()
    reader = PdfReader(path)
    assert reader.is_encrypted
    assert reader.decrypt(check.password)  # PasswordType.NOT_DECRYPTED is 0
    encrypt = reader.trailer["/Encrypt"]
    assert encrypt["/V"] == 5 and encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"  # AES-256
    assert "Inzage in de gegevens van" in reader.pages[0].extract_text()


def test_selftest_fails_when_a_pdf_that_must_be_encrypted_is_not(monkeypatch):
    def plain(vault, folder):
        return write_recovery_pdf(folder / "x.pdf", school_name="Zelftestschool", brin="12AB",
                                  database_id="x", recovery_key="0000-" * 12 + "0000",
                                  created_at=datetime.now(UTC))

    monkeypatch.setattr(selftest, "print_checks", lambda: [
        PrintCheck("inzage", plain, ("Zelftestschool",), password="geheim")])
    out = io.StringIO()
    assert run_selftest(out) == 1 and "inzage (NotEncrypted)" in out.getvalue()
