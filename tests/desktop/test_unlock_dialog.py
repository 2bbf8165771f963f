"""Ontgrendelen: after losing the keyring entry, the recovery key (or passphrase) opens the file."""

from db.vault import Vault
from desktop.unlock_dialog import PASSPHRASE, RECOVERY, UnlockDialog, key_mode_of


def make_dialog(qtbot, path, tmp_path, **kwargs) -> UnlockDialog:
    dialog = UnlockDialog(database=path, backup_dir=tmp_path / "backups", **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_recovery_key_opens_the_register_after_the_keyring_was_lost(qtbot, vault, db_path,
                                                                    tmp_path, memory_keyring):
    recovery = vault.recovery_key()
    vault.engine.dispose()
    memory_keyring.entries.clear()
    dialog = make_dialog(qtbot, db_path, tmp_path)
    assert dialog.mode == RECOVERY

    groups = recovery.split("-")
    groups[2] = "ZZZZZ" if groups[2] != "ZZZZZ" else "00000"
    qtbot.keyClicks(dialog.secret, "-".join(groups))
    assert dialog.unlock() is None
    assert "Groep 3" in dialog.field.error.text()

    dialog.secret.clear()
    qtbot.keyClicks(dialog.secret, recovery.lower().replace("-", " "))
    dialog.accept()
    assert dialog.result() == UnlockDialog.DialogCode.Accepted
    assert dialog.vault is not None and dialog.vault.database_id == vault.database_id
    dialog.vault.engine.dispose()
    assert memory_keyring.entries  # stored again: next start needs no recovery key


def test_a_valid_key_of_another_register_is_refused(qtbot, vault, db_path, tmp_path,
                                                    memory_keyring):
    other, other_key = Vault.create(tmp_path / "ander.db")
    other.engine.dispose()
    vault.engine.dispose()
    memory_keyring.entries.clear()
    dialog = make_dialog(qtbot, db_path, tmp_path)
    qtbot.keyClicks(dialog.secret, other_key)
    assert dialog.unlock() is None
    assert dialog.field.error.text().startswith("Met deze herstelsleutel gaat het register niet")


def test_passphrase_mode_asks_the_passphrase(qtbot, tmp_path):
    path = tmp_path / "zin.db"
    created, _ = Vault.create(path, passphrase="een lange wachtzin")
    created.engine.dispose()
    assert key_mode_of(path) == PASSPHRASE
    dialog = make_dialog(qtbot, path, tmp_path)
    assert dialog.windowTitle().startswith("Wachtwoordzin invoeren")
    qtbot.keyClicks(dialog.secret, "verkeerde zin")
    assert dialog.unlock() is None
    assert "wachtwoordzin" in dialog.field.error.text()
    dialog.secret.clear()
    qtbot.keyClicks(dialog.secret, "een lange wachtzin")
    opened = dialog.unlock()
    assert opened is not None
    opened.engine.dispose()


def test_empty_entry_is_named(qtbot, vault, db_path, tmp_path):
    vault.engine.dispose()
    dialog = make_dialog(qtbot, db_path, tmp_path)
    assert dialog.unlock() is None
    assert dialog.field.error.text() == "Vul de herstelsleutel in."
