"""Closing the register makes the rotating backup; when that fails, the GUI says why in Dutch."""

import errno

import db.vault as vault_module
from desktop.app import Controller
from desktop.kit import widgets


def test_a_full_disk_at_closing_shows_the_dutch_reason_and_still_closes(qapp, vault,
                                                                        monkeypatch):
    """ENOSPC injected at the os level when the backup's .part is put in place (tests run as
    root; no small full file system is mounted)."""
    shown = []
    monkeypatch.setattr(widgets, "warn", lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(vault_module.os, "replace", lambda *a: (_ for _ in ()).throw(
        OSError(errno.ENOSPC, "No space left on device")))
    controller = Controller(qapp, vault)
    controller.close_register()
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "Reservekopie mislukt"
    assert "Het register zelf is in orde" in text and "de schijf is vol" in text
    assert "ruimte vrij" in text
    assert vault.engine.pool.checkedout() == 0
    assert not list(vault.backup_dir.glob("*.part*"))


def test_a_locked_backup_folder_at_closing_names_the_permission(qapp, vault, monkeypatch):
    """EACCES injected where the backup file is created."""
    shown = []
    monkeypatch.setattr(widgets, "warn", lambda parent, title, text: shown.append(text))

    def forbidden(path, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(vault_module, "create_private_file", forbidden)
    Controller(qapp, vault).close_register()
    assert len(shown) == 1 and "geen toestemming" in shown[0]
