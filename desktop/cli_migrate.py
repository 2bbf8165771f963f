"""privacyregister-cli migrate-to: the school's local register copied into a PostgreSQL server
(db/migrate_to.py), without changing the local file.

    privacyregister-cli migrate-to postgresql://eigenaar@server:5432/register \\
        --ca bestuur-ca.crt --app-role register_app [--school-from BESTAND]

The database is empty (the register is copied with its ids) or already holds the register of
other schools of the board (the file's school is added as a new school: new ids, the same
chain, then a baseline entry per row; db/migrate_to.py). The address is the OWNER's (who
makes the schema); `--app-role` the database user the program
works as afterwards. The owner's password comes from the keyring, else it is asked (and not
kept: the owner may rewrite the audit log, the program's user may not). The local
file (default: --database, the register the CLI always uses) is opened read-only with its key
from the keyring, PRIVACYREGISTER_PASSPHRASE, or an asked passphrase or recovery key. Progress
goes to stderr; the two chain heads to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from db.errors import MissingKeyError
from db.server import ServerAddress, load_password
from db.sidecar import read_sidecar

PROGRESS_EVERY = 20_000  # rows between two progress lines on stderr


def add_parser(commands: argparse._SubParsersAction) -> None:
    migrate = commands.add_parser(
        "migrate-to", help="het register van deze computer overzetten naar een databaseserver",
        description="Zet het register van deze computer over naar een lege database op een "
        "PostgreSQL-server van het bestuur, of als nieuwe school naar een database die al "
        "het register van andere scholen van het bestuur bevat. De auditketen wordt vooraf "
        "en achteraf gecontroleerd (dezelfde ketenkop); het bestand op deze computer "
        "verandert niet.")
    migrate.add_argument("address", metavar="ADRES",
                         help="het serveradres van de EIGENAAR van de database: "
                         "postgresql://eigenaar@server:5432/database")
    migrate.add_argument("--ca", metavar="BESTAND",
                         help="het CA-certificaat van het bestuur (of sslrootcert in het adres)")
    migrate.add_argument("--app-role", metavar="GEBRUIKER", required=True,
                         help="de databasegebruiker waarmee het programma daarna werkt (niet de "
                         "eigenaar); die mag de auditlog alleen aanvullen en lezen")
    migrate.add_argument("--school-from", metavar="BESTAND",
                         help="het registerbestand dat wordt overgezet (standaard: --database)")
    migrate.set_defaults(run=cmd_migrate_to)


def _progress_line(done: int, total: int) -> str:
    shown = f"{done:,}".replace(",", ".")
    whole = f"{total:,}".replace(",", ".")
    return f"Overgezet: {shown} van {whole} rijen"


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from db.migrate_to import copy_to_server, open_read_only
    from desktop.cli import CliError, _ask_secret, _interactive, say

    if args.server:
        raise CliError("Geef bij migrate-to het serveradres als argument, niet met --server.")
    address = ServerAddress.parse(args.address, ca_file=args.ca or args.ca_file)
    source_path = Path(args.school_from or args.database)
    try:
        engine = open_read_only(source_path)
    except MissingKeyError as missing:
        if not _interactive():
            raise CliError(str(missing)) from None
        if read_sidecar(source_path).get("key_mode") == "passphrase":
            engine = open_read_only(source_path, passphrase=_ask_secret("Wachtwoordzin: "))
        else:
            say(str(missing))
            engine = open_read_only(source_path, recovery_key=input("Herstelsleutel: "))
    owner_password = load_password(address)  # asked when the keyring has none; not kept
    if owner_password is None:
        owner_password = _ask_secret("Wachtwoord van de eigenaar van de database: ")
    last = [0]

    def progress(done: int, total: int) -> bool:
        if done - last[0] >= PROGRESS_EVERY or (done == total and done != last[0]):
            last[0] = done
            print(_progress_line(done, total), file=sys.stderr, flush=True)
        return True

    def step(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    try:
        with engine.connect() as source:
            report = copy_to_server(source, address, password=owner_password,
                                    application_role=args.app_role, progress=progress,
                                    step=step)
    finally:
        engine.dispose()
    if report.added_school:
        say(f"School toegevoegd aan het register op de server: {address} (school "
            f"{report.school_id} van de database)")
    else:
        say(f"Register overgezet naar de server: {address}")
    say(f"{report.total_rows:,} rijen overgezet.".replace(",", "."))
    say(f"Ketenkop op deze computer: {report.local_head}")
    say(f"Ketenkop op de server:     {report.server_head}")
    say("De ketenkoppen zijn gelijk: de auditketen is ongeschonden overgezet.")
    if report.added_school:
        say(f"Daarna {report.baseline_entries:,} basisregels (audit.baseline): de records "
            "kregen op de server nieuwe nummers en de auditketen legt hun inhoud opnieuw "
            "vast.".replace(",", "."))
        say(f"Ketenkop van de school op de server nu: {report.final_head}")
    say(f"Het bestand {source_path} is niet veranderd. Werk vanaf nu alleen in het register op "
        f"de server, met de databasegebruiker {args.app_role} in het serveradres (het "
        "wachtwoord wordt de eerste keer gevraagd). Bewaar het bestand als laatste reservekopie "
        "van vóór het overzetten. Reservekopieën van de server maakt uw ICT-partner (pg_dump).")
    return 0
