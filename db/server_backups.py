"""Backups of a register on a PostgreSQL server: the server's, not the program's.

A register in a file is copied by the program (Vault.backup, encrypted, rotating). A register on
a server is backed up by the server: the board's IT partner runs ``pg_dump`` (or the server's
own backup with point-in-time recovery), see the README. The program's backup command (the CLI's
``backup``, the window's Bestand > Reservekopie maken) says so, with the command for this
database, instead of copying anything.
"""

from __future__ import annotations

from db.server import ServerAddress


def pg_dump_command(address: ServerAddress) -> str:
    """The pg_dump command the IT partner runs for this register (as the database's owner)."""
    return (f"pg_dump --format=custom --host={address.host} --port={address.port} "
            f"--username=EIGENAAR --file=privacyregister-JJJJ-MM-DD.dump {address.database}")


def server_backup_advice(address: ServerAddress) -> str:
    """In Dutch: why this program makes no backup of a server register, and what does."""
    return (f"Dit register staat op de databaseserver {address.host} (database "
            f"{address.database}). Reservekopieën daarvan maakt de server, niet dit programma: "
            "uw ICT-partner maakt ze met pg_dump of met de back-upvoorziening van de server, "
            "bijvoorbeeld elke nacht met: " + pg_dump_command(address) + " . Vraag uw "
            "ICT-partner of die reservekopieën worden gemaakt, buiten het gebouw worden bewaard "
            "en af en toe worden teruggezet om ze te testen. Er is niets gekopieerd.")
