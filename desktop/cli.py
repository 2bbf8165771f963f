"""privacyregister-cli: headless commands for IT staff, scripts and CI. Messages are Dutch.

Exit codes: 0 ok, 1 a check failed, 2 usage or open error, 3 an import was saved but the
backup after it could not be made. No traceback: an error of the operating system or of
SQLite ends as one Dutch line on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy.exc import DBAPIError

from db import __version__
from db.audit import ChainHead
from db.errors import MissingKeyError, RegisterError, ServerPasswordMissingError, VaultError
from db.keystore import configure_keyring, keyring_usable
from db.permissions import SYSTEM
from db.server import ServerAddress, ServerRegister, load_password, store_password
from db.vault import PASSPHRASE_ENV, Key, Vault, read_sidecar, translate_storage_error
from desktop import paths
from desktop.cli_parser import DutchArgumentParser
from desktop.printing.files import written_whole

if TYPE_CHECKING:
    from db.open_register import OpenRegister
    from db.register import NewSchool

ADMIN_PASSWORD_ENV = "PRIVACYREGISTER_ADMIN_PASSWORD"
OK, CHECK_FAILED, USAGE, SAVED_WITHOUT_BACKUP = 0, 1, 2, 3
SHOWN_PROBLEMS = 200  # import problems printed one by one; a count stands for the rest
UNENCRYPTED = ("Let op: dit bestand is niet versleuteld en bevat persoonsgegevens. Bewaar het "
               "op een veilige plek en verwijder het zodra het niet meer nodig is.")


class CliError(Exception):
    """A problem to report in one Dutch line, with exit code 2."""


def say(message: str) -> None:
    print(message, flush=True)


def complain(message: str) -> None:
    print(f"Fout: {message}", file=sys.stderr, flush=True)


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask_secret(prompt: str, *, twice: bool = False) -> str:
    if not _interactive():
        raise CliError(f"{prompt.rstrip(': ')} is nodig, maar er is geen invoer mogelijk.")
    first = getpass.getpass(prompt)
    if twice and getpass.getpass("Nogmaals: ") != first:
        raise CliError("De twee invoeren zijn niet gelijk.")
    return first


def check_output(path: str | Path, what: str = "het bestand") -> Path:
    """Refuse an output path whose folder is missing or cannot be written to, before any
    work starts (writing a probe is the only test that also holds for root and for Windows
    folder permissions)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise CliError(f"{target} is een map. Geef de naam van {what}, bijvoorbeeld "
                       f"{target / 'uitvoer.pdf'}.")
    if not folder.is_dir():
        raise CliError(f"De map {folder} bestaat niet. Maak de map eerst aan of kies een andere "
                       f"plek voor {what}. Er is niets gedaan.")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        raise CliError(f"In de map {folder} kan niet worden geschreven (alleen-lezen, geen "
                       f"rechten of de schijf is vol). Kies een andere plek voor {what}. Er is "
                       "niets gedaan.") from None
    return target


def server_address(args: argparse.Namespace) -> ServerAddress:
    """--server (and --ca-file) as a checked address: verified TLS or refused (db/server.py)."""
    return ServerAddress.parse(args.server, ca_file=args.ca_file)


def open_server(args: argparse.Namespace) -> ServerRegister:
    """Open the register on --server with the password from the keyring; when it has none,
    ask for it (interactive only) and keep it there once the server accepted it."""
    address = server_address(args)
    try:
        return ServerRegister.open(address)
    except ServerPasswordMissingError as missing:
        if not _interactive():
            raise CliError(str(missing)) from None
        password = _ask_secret("Wachtwoord voor de databaseserver: ")
        register = ServerRegister.open(address, password=password)
        store_password(address, password)
        return register


def file_only(args: argparse.Namespace, what: str) -> None:
    if args.server:
        raise CliError(f"{what} kan alleen met een databasebestand. Een register op een "
                       "databaseserver wordt beheerd door de server (reservekopieën met pg_dump, "
                       "de sleutels door TLS en de rechten van de server).")


def open_vault(args: argparse.Namespace, *, backup_dir: Path | None = None,
               ) -> OpenRegister:
    """Open --server, or --database with the keyring, the passphrase variable, or an asked
    recovery key; then work for the school of --school (db.tenancy)."""
    register = _open_vault(args, backup_dir=backup_dir)
    try:
        _choose_school(register, getattr(args, "school", None))
    except BaseException:
        register.close(backup=False)
        raise
    return register


def _choose_school(register: Vault | ServerRegister, brin: str | None) -> None:
    """--school BRIN: the school of a register that holds several (a board's server); every
    session works for it. Without it, the register's one school."""
    if not brin:
        return
    from db.errors import ValidationError
    from db.school import normalise_brin, school_ids_with_brin
    from db.tenancy import SchoolScope

    try:
        code = normalise_brin(brin)
    except ValidationError as exc:
        raise CliError(str(exc)) from None
    with register.session() as session:
        found = school_ids_with_brin(session, code)
    if len(found) != 1:
        raise CliError(f"De school met BRIN-nummer {code} staat niet in dit register. Er is "
                       "niets gedaan.")
    register.use_scope(SchoolScope(found[0]))


def _open_vault(args: argparse.Namespace, *, backup_dir: Path | None = None,
                ) -> Vault | ServerRegister:
    if args.server:
        return open_server(args)
    path = Path(args.database)
    backups = backup_dir if backup_dir is not None else paths.backup_dir()
    recovery = getattr(args, "recovery_key", None)
    try:
        return Vault.open(path, recovery_key=recovery, backup_dir=backups)
    except MissingKeyError as missing:
        meta = read_sidecar(path)
        if not _interactive():
            raise CliError(str(missing)) from None
        if meta.get("key_mode") == "passphrase":
            return Vault.open(path, passphrase=_ask_secret("Wachtwoordzin: "), backup_dir=backups)
        say(str(missing))
        return Vault.open(path, recovery_key=input("Herstelsleutel: "), backup_dir=backups)


# --- commands ---------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from db.register import NewSchool, create_register
    from db.school import normalise_brin
    from db.users import validate_password, validate_username
    from desktop.printing.recovery_key import write_recovery_pdf

    path = Path(args.database)
    brin = normalise_brin(args.brin)
    validate_username(args.admin)
    address = server_address(args) if args.server else None
    if address is not None and not args.app_role:
        raise CliError("Geef met --app-role de databasegebruiker waarmee het programma werkt "
                       "(niet de eigenaar van de database).")
    password = os.environ.get(ADMIN_PASSWORD_ENV) or _ask_secret(
        f"Wachtwoord voor {args.admin}: ", twice=True)
    validate_password(password)
    if address is not None:
        return _init_on_server(args, address, NewSchool(args.school, brin, args.admin, password))
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase and not keyring_usable():
        say("Deze computer heeft geen beveiligde sleutelopslag; de database krijgt een "
            "wachtwoordzin.")
        passphrase = _ask_secret("Wachtwoordzin: ", twice=True)
    if not passphrase and not args.recovery_pdf:
        raise CliError("Geef met --recovery-pdf BESTAND aan waar de herstelsleutel (PDF) komt.")
    if not passphrase:
        check_output(args.recovery_pdf, "de herstelsleutel (PDF)")
    elif args.recovery_pdf:
        say(f"Er komt geen herstelsleutel in {args.recovery_pdf}: deze database wordt beveiligd "
            "met een wachtwoordzin, en die wachtwoordzin is zelf de sleutel. Schrijf hem op en "
            "leg hem in de kluis van de school; zonder wachtwoordzin kan niemand de gegevens "
            "nog lezen.")

    def print_recovery_key(vault: Vault, recovery: str | None) -> None:
        if recovery is not None:
            with written_whole(Path(args.recovery_pdf)) as (pdf,):
                write_recovery_pdf(pdf, school_name=args.school, brin=brin,
                                   database_id=vault.database_id, recovery_key=recovery,
                                   created_at=datetime.now(UTC))

    school = NewSchool(args.school, brin, args.admin, password)
    vault, recovery = create_register(path, school, passphrase=passphrase,
                                      backup_dir=paths.backup_dir(), then=print_recovery_key)
    vault.close(backup=False)
    say(f"Database aangemaakt: {path}")
    if recovery is not None:
        say(f"Herstelsleutel opgeslagen in {args.recovery_pdf}. Druk die af, bewaar hem in de "
            "kluis en verwijder daarna het bestand.")
    else:
        say("De database is beveiligd met de wachtwoordzin. Bewaar die op een veilige plek.")
    return OK


def _init_on_server(args: argparse.Namespace, address: ServerAddress,
                    school: NewSchool) -> int:
    """init --server: the register in an empty server database, made by its owner (the user
    of the address; the password from the keyring, else asked). No recovery key: the server
    has no key of ours."""
    from db.register import create_server_register

    if args.recovery_pdf:
        say("Er komt geen herstelsleutel: een register op een databaseserver heeft geen sleutel "
            "van het programma. De server en zijn reservekopieën beveiligt uw ICT-partner.")
    owner_password = load_password(address)
    if owner_password is None:
        owner_password = _ask_secret("Wachtwoord van de eigenaar van de database: ")
    register = create_server_register(address, school, application_role=args.app_role,
                                      password=owner_password)
    register.close()
    say(f"Register aangemaakt op de server: {address}")
    say(f"Het programma werkt met de databasegebruiker {args.app_role}: open het register met "
        "diens naam in het serveradres; het wachtwoord wordt de eerste keer gevraagd en in de "
        "sleutelopslag bewaard. Reservekopieën maakt de server (pg_dump).")
    return OK


def cmd_backup(args: argparse.Namespace) -> int:
    if args.server:  # the server's backups: said without connecting, nothing copied
        from db.server_backups import server_backup_advice

        raise CliError(server_backup_advice(server_address(args)))
    vault = open_vault(args)
    try:
        target = vault.backup(SYSTEM, Path(args.to) if args.to else None)
    finally:
        vault.close(backup=False)
    say(f"Reservekopie gemaakt: {target}")
    return OK


def cmd_restore(args: argparse.Namespace) -> int:
    file_only(args, "Een reservekopie terugzetten")
    vault = open_vault(args)
    source_key = None
    if args.source_recovery_key:
        from db.recovery import decode_recovery_key

        source_key = Key(raw=decode_recovery_key(args.source_recovery_key))
    try:
        vault = vault.restore(SYSTEM, Path(args.file), source_key=source_key)
    except RegisterError:
        vault.engine.dispose()
        raise
    vault.close(backup=False)
    say(f"Reservekopie teruggezet. Het bestand van vóór het terugzetten staat in "
        f"{vault.backup_dir}.")
    return OK


def cmd_verify(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from db.audit import chain_head, verify_chain

    against = None
    if args.against:
        try:
            against = ChainHead.parse(args.against)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    vault = open_vault(args)
    try:
        # the file check, the chain walk and the rows' check, each on a connection and a
        # core of its own; the file check's error comes first, as when it ran first
        with ThreadPoolExecutor(1) as pool:
            integrity = pool.submit(vault.integrity_problems, own_connection=True)
            try:
                with vault.session() as session:
                    report = verify_chain(session, against=against, connect=vault.reader)
                    head = chain_head(session)
            except BaseException:
                integrity.result()
                raise
            problems = integrity.result()
    finally:
        vault.close(backup=False)
    checked = vault.integrity_report(problems)  # None: a server keeps its own files sound
    if checked is not None:
        say(checked)
    say(report.message)
    if head is not None:
        say(f"Ketenkop: {head}")
    return OK if report.ok and not problems else CHECK_FAILED


def cmd_demo(args: argparse.Namespace) -> int:
    import time

    from db.demo import DEMO_PASSPHRASE, create_demo_vault

    file_only(args, "Een demoschool maken")
    path = Path(args.database)
    if path.exists():
        raise CliError(f"{path} bestaat al. Kies met --database een nieuw bestand.")
    started = time.perf_counter()
    vault = create_demo_vault(path, backup_dir=paths.backup_dir(), pupils=args.pupils)
    mode = vault.key_mode
    vault.close(backup=False)
    say(f"Demoschool met {args.pupils} leerlingen aangemaakt in {path} "
        f"({time.perf_counter() - started:.1f} s).")
    if mode == "keyring":
        say("De sleutel staat in de sleutelopslag van deze computer.")
    elif os.environ.get(PASSPHRASE_ENV):
        say(f"De demodatabase is beveiligd met de wachtwoordzin uit {PASSPHRASE_ENV}.")
    else:
        say(f"Deze computer heeft geen sleutelopslag en {PASSPHRASE_ENV} is niet gezet: de "
            f"demodatabase is beveiligd met de vaste demowachtwoordzin '{DEMO_PASSPHRASE}' "
            "(de gegevens zijn verzonnen).")
    return OK


def cmd_rekey(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from db.school import get_school
    from desktop.printing.recovery_key import write_recovery_pdf

    file_only(args, "Een nieuwe sleutel geven")
    passphrase = None
    if args.passphrase:
        passphrase = os.environ.get("PRIVACYREGISTER_NEW_PASSPHRASE") or _ask_secret(
            "Nieuwe wachtwoordzin: ", twice=True)
    elif not args.recovery_pdf:
        raise CliError("Geef met --recovery-pdf BESTAND aan waar de nieuwe herstelsleutel komt.")
    else:
        check_output(args.recovery_pdf, "de nieuwe herstelsleutel (PDF)")
    vault = open_vault(args)
    try:
        recovery = vault.rekey(passphrase)
        if recovery is not None:
            with vault.session() as session:
                school = get_school(session)
                name, brin = (school.name, school.brin) if school else ("", "")
            with written_whole(Path(args.recovery_pdf)) as (pdf,):
                write_recovery_pdf(pdf, school_name=name, brin=brin,
                                   database_id=vault.database_id, recovery_key=recovery,
                                   created_at=datetime.now(UTC))
    finally:
        vault.close(backup=False)
    say("De database heeft een nieuwe sleutel. Oudere reservekopieën openen met de oude sleutel.")
    return OK


def _form_printing() -> None:
    """What drawing a consent form needs first: reportlab and the fonts (0.2-0.3 s)."""
    from desktop.printing.consent_forms import register_fonts

    register_fonts()


def cmd_print_consent_forms(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from db.clock import local_today
    from db.consent_sheets import form_terms, purpose_texts, stream_form_pupils
    from db.school import get_school

    # reportlab and the fonts load on a second thread while the register opens (deriving a
    # passphrase's key and SQLite's reads leave Python's lock free); the pupils are read one
    # group at a time as the forms are drawn: the first page is on disk at once
    with ThreadPoolExecutor(1) as pool:
        printing = pool.submit(_form_printing)
        vault = open_vault(args)
        try:
            printing.result()
        except BaseException:
            vault.close(backup=False)
            raise
    from desktop.printing.consent_forms import SchoolInfo, consent_forms

    forms = 0
    try:
        today = local_today()
        # a session of its own (nothing is written to the register): an error of the file
        # being written is told as the command's, not as one of saving to the register
        with vault.new_session() as session:
            school = get_school(session)
            purposes = purpose_texts(session)
            terms = form_terms(session, SYSTEM, today=today)
            pupils = stream_form_pupils(session, SYSTEM, group=args.group, today=today)

            def counted(progress: int) -> bool:
                nonlocal forms
                forms = progress + 1
                return True

            with written_whole(Path(args.out)) as (out,):
                pages = consent_forms(out, SchoolInfo(school.name, school.brin), pupils,
                                      purposes, terms, progress=counted)
    finally:
        vault.close(backup=False)
    say(f"{forms} toestemmingsformulieren ({pages} pagina's) in {args.out}.")
    say(UNENCRYPTED)
    return OK


def cmd_print_photo_lists(args: argparse.Namespace) -> int:
    from db.clock import local_today
    from db.consent_sheets import photo_lists
    from db.school import get_school
    from desktop.printing.photo_lists import photo_list_pdf

    vault = open_vault(args)
    try:
        today = local_today()
        with vault.session() as session:
            school = get_school(session)
            lists = photo_lists(session, SYSTEM, today=today, group=args.group)
        if not lists:
            raise CliError("Er staan nog geen leerlingen in het register. Importeer eerst de "
                           "leerlingen (privacyregister-cli import). Er is niets afgedrukt.")
        with written_whole(Path(args.out)) as (out,):
            pages = photo_list_pdf(out, school.name, lists, printed_on=today)
    finally:
        vault.close(backup=False)
    say(f"'Niet op de foto'-lijst voor {pages} groep(en) in {args.out}.")
    say(UNENCRYPTED)
    return OK


def cmd_print_schoolgids(args: argparse.Namespace) -> int:
    from db.clock import local_today
    from db.schoolgids import schoolgids
    from desktop.printing.schoolgids import write_schoolgids

    if Path(args.out).suffix.lower() not in (".docx", ".pdf"):
        raise CliError("Geef een bestand dat eindigt op .docx (om in de schoolgids te plakken) "
                       "of op .pdf. Er is niets geschreven.")
    vault = open_vault(args)
    try:
        with vault.session() as session:
            guide = schoolgids(session, SYSTEM, local_today())
        write_schoolgids(Path(args.out), guide)
    finally:
        vault.close(backup=False)
    say(f"Privacytekst voor de schoolgids geschreven naar {args.out} "
        f"({len(guide.sections)} onderdelen, stand van {guide.made_on:%d-%m-%Y}).")
    for left in guide.left_out:
        say(f"Weggelaten: {left.supplier} — {left.reason}.")
    for label in guide.missing:
        say(f"Nog niet ingevuld: {label}. De tekst zegt dat op die plek; vul het in het "
            "programma in en maak de tekst opnieuw.")
    return OK


def cmd_print_processing_register(args: argparse.Namespace) -> int:
    from db.clock import local_today
    from db.processing import controller_lines, processing_activities
    from db.school import get_school, school_contact
    from desktop.printing.processing_register import processing_register_pdf

    vault = open_vault(args)
    try:
        today = local_today()
        with vault.session() as session:
            school = get_school(session)
            controller = controller_lines(school.name, school_contact(session, SYSTEM))
            activities = processing_activities(session, SYSTEM)
        with written_whole(Path(args.out)) as (out,):
            processing_register_pdf(out, school.name, controller, activities, printed_on=today)
    finally:
        vault.close(backup=False)
    say(f"Register van verwerkingsactiviteiten ({len(activities)} verwerkingen) in {args.out}.")
    return OK


def cmd_photo_check(args: argparse.Namespace) -> int:
    from db.clock import local_today
    from db.photo_check import REASON_LABELS, photo_candidates, photo_check
    from db.purposes import current_texts
    from db.school import get_school
    from desktop.printing.photo_check import photo_check_pdf

    vault = open_vault(args)
    try:
        today = local_today()
        with vault.session() as session:
            codes = {purpose.code: purpose.id for purpose, _text in current_texts(session)}
            unknown = [code for code in args.purpose if code not in codes]
            if unknown:
                raise CliError(f"Onbekend doel: {', '.join(unknown)}. Doelen in gebruik: "
                               f"{', '.join(codes)}.")
            pupils = []
            for group in dict.fromkeys(args.group):
                pupils += photo_candidates(session, SYSTEM, today=today, group=group)
            check = photo_check(session, SYSTEM, [codes[c] for c in args.purpose],
                                [p.pupil_id for p in pupils], today)
            school = get_school(session)
        label = "groep " + ", ".join(dict.fromkeys(args.group))
        if args.out:
            with written_whole(Path(args.out)) as (out,):
                photo_check_pdf(out, school.name, check, label=label)
    finally:
        vault.close(backup=False)
    say(f"Fotocheck {label}, {today:%d-%m-%Y}, voor: {'; '.join(check.purposes)}.")
    say(f"Mogen niet op de foto: {len(check.blocked)} van {check.checked}.")
    for blocked in check.blocked:
        why = (blocked.describe() if len(check.purposes) > 1
               else REASON_LABELS[blocked.reasons[0][1]])
        say(f"  {blocked.pupil.name} (groep {blocked.pupil.group_name}): {why}")
    if args.out:
        say(f"Afdruk voor de fotograaf in {args.out}.")
        say(UNENCRYPTED)
    return OK


def refuse_unknown_columns(headers: list[str], mapping: dict[str, str]) -> None:
    """The command line cannot ask which column is which: say what was found and needed."""
    from db.imports.tabular import missing_fields

    missing = missing_fields(mapping)
    if missing:
        found = ", ".join(f"'{h}'" for h in headers if h.strip()) or "geen kolomkoppen"
        raise CliError(
            f"De kolommen van dit bestand zijn niet te herkennen. Gevonden: {found}. Nodig: een "
            f"kolom voor {', '.join(missing)}. Geef die kolommen een herkenbare kop (zoals "
            "'Achternaam' of 'Geboortedatum'), of importeer in het programma zelf, waar u de "
            "kolommen kunt aanwijzen. Er is niets ingelezen.")


def cmd_import(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from db.imports.detect import parse_file
    from db.imports.preview import build_preview, commit_import, load_mapping
    from db.imports.tabular import guess_mapping, mapping_key

    source = Path(args.file)
    try:
        data = source.read_bytes()
    except OSError:
        raise CliError(f"Het bestand {source} kan niet worden gelezen.") from None
    # the file is read while the register opens: the key's derivation and SQLite's reads run
    # without Python's lock, so the two share the machine's cores
    with ThreadPoolExecutor(1) as pool:
        parsing = pool.submit(parse_file, data, source.name)
        vault = open_vault(args)
    if not args.dry_run:
        vault.derive_backup_key_ahead()  # for the backup after the import, beside the work
        vault.keep_pages()  # the import's pages stay in memory for that backup
    result = None
    try:
        with vault.session() as session:
            parsed, table = parsing.result()
            if table is not None:
                remembered = load_mapping(session, SYSTEM, mapping_key(table.headers))
                if remembered:
                    parsed, table = parse_file(data, source.name, remembered)
                refuse_unknown_columns(table.headers, remembered or guess_mapping(table.headers))
            del data, table
            preview = build_preview(session, SYSTEM, parsed)  # takes the write lock first
            say(f"{parsed.source}: {len(preview.new)} nieuw, {len(preview.changed)} gewijzigd, "
                f"{len(preview.unchanged)} ongewijzigd, {len(preview.missing)} niet meer in "
                f"het bestand, {preview.problem_count} met fouten.")
            for change in preview.changed:
                say(f"  gewijzigd ({change.incoming.where}): "
                    + "; ".join(c.describe() for c in change.changes))
            for problem in preview.problems[:SHOWN_PROBLEMS]:
                say(f"  fout, {problem.where}: {problem.message}")
            if preview.problem_count > SHOWN_PROBLEMS:
                say(f"  … en nog {preview.problem_count - SHOWN_PROBLEMS} fouten.")
            if preview.missing:
                say("  Leerlingen die niet meer in het bestand staan, worden niet verwijderd en "
                    "niet als vertrokken gemarkeerd; doe dat in het programma.")
            if args.dry_run:
                say("Proefimport: er is niets opgeslagen.")
            else:
                result = commit_import(session, SYSTEM, preview)
    except BaseException:
        vault.close(backup=False)
        raise
    if result is None:
        vault.close(backup=False)
        return CHECK_FAILED if preview.problem_count else OK
    say(f"Opgeslagen: {result.added} toegevoegd, {result.updated} bijgewerkt, "
        f"{result.guardians_added} ouders/verzorgers toegevoegd.")
    try:
        vault.close()  # the rotating backup after every real import
    except (RegisterError, OSError, sqlcipher.Error, DBAPIError) as exc:
        cause = translate_storage_error(exc, "Het maken van de reservekopie") or exc
        detail = f" {cause}" if isinstance(cause, RegisterError) else ""
        complain("De import is opgeslagen, maar de reservekopie daarna is niet gemaakt."
                 + detail + " Maak een reservekopie met 'privacyregister-cli backup' zodra "
                 "dat weer kan.")
        return SAVED_WITHOUT_BACKUP
    return CHECK_FAILED if preview.problem_count else OK


def cmd_import_consents(args: argparse.Namespace) -> int:
    """Privacy preferences from a parent app's export: the choices per pupil and category."""
    from db.clock import local_today
    from db.imports.consents import (
        SOURCE_LABELS,
        Source,
        build_consent_preview,
        commit_consent_import,
        guess_mapping,
        load_consent_mapping,
        mapping_problems,
        parse_preferences,
        purpose_choices,
        read_preferences,
    )
    from db.imports.tabular import TableError
    from db.text import format_dutch_date, parse_dutch_date

    source_file = Path(args.file)
    source = Source(args.source)
    decided_on = None
    if args.date:
        try:
            decided_on = parse_dutch_date(args.date)
        except ValueError as exc:
            raise CliError(f"--date: {exc}. Er is niets ingelezen.") from None
        if decided_on > local_today():
            raise CliError(f"--date {format_dutch_date(decided_on)} ligt in de toekomst. Geef "
                           "de datum waarop de keuzes in de app werden gesloten. Er is niets "
                           "ingelezen.")
    try:
        data = source_file.read_bytes()
    except OSError:
        raise CliError(f"Het bestand {source_file} kan niet worden gelezen.") from None
    try:
        table = read_preferences(data, source_file.name)
    except TableError as exc:
        raise CliError(str(exc)) from None
    del data
    vault = open_vault(args)
    result = None
    try:
        with vault.session() as session:
            purposes = purpose_choices(session, SYSTEM)
            mapping = load_consent_mapping(session, SYSTEM, source, table.headers)
            mapping = (mapping.fitted(table, (p.code for p in purposes)) if mapping
                       else guess_mapping(table, purposes))
            missing = mapping_problems(mapping, has_date=decided_on is not None)
            if missing:
                found = ", ".join(f"'{h}'" for h in table.headers if h.strip())
                raise CliError(" ".join(missing) + f" Gevonden kolommen: {found}. Geef de "
                               "kolommen een herkenbare kop, geef met --date de datum op, of "
                               "importeer in het programma zelf, waar u kolommen en waarden "
                               "kunt aanwijzen. Er is niets ingelezen.")
            parsed = parse_preferences(table, mapping, decided_on=decided_on)
            del table
            preview = build_consent_preview(session, SYSTEM, parsed, source)
            say(f"{parsed.source} uit {SOURCE_LABELS[source]}: {preview.rows_read} regels, "
                f"{preview.pupils_found} leerlingen gevonden, {len(preview.not_found)} niet "
                f"gevonden, {len(preview.conflicts)} nieuwere keuzes in het register, "
                f"{preview.problem_count} met fouten.")
            for count in preview.counts:
                say(f"  {count.title}: {count.given} gegeven, {count.refused} geweigerd, "
                    f"{count.unanswered} niet ingevuld; {count.to_record} vast te leggen, "
                    f"{count.already} al vastgelegd, {count.newer} nieuwer in het register.")
            for missing_pupil in preview.not_found:
                who = missing_pupil.source_key or format_dutch_date(missing_pupil.date_of_birth)
                say(f"  niet gevonden ({missing_pupil.where}): leerling {who}")
            for conflict in preview.conflicts:
                say(f"  blijft staan ({conflict.where}), {conflict.purpose_title}: "
                    f"{conflict.message}")
            for problem in preview.problems[:SHOWN_PROBLEMS]:
                say(f"  fout, {problem.where}: {problem.message}")
            if preview.problem_count > SHOWN_PROBLEMS:
                say(f"  … en nog {preview.problem_count - SHOWN_PROBLEMS} fouten.")
            if preview.not_found:
                say("  Leerlingen die niet gevonden zijn: importeer eerst de leerlingen "
                    "(privacyregister-cli import) of controleer leerlingnummer en "
                    "geboortedatum, en importeer dit bestand daarna opnieuw.")
            if args.dry_run:
                say("Proefimport: er is niets opgeslagen.")
            else:
                result = commit_consent_import(session, SYSTEM, preview)
    except BaseException:
        vault.close(backup=False)
        raise
    failed = CHECK_FAILED if preview.problem_count or preview.not_found else OK
    if result is None:
        vault.close(backup=False)
        return failed
    say(f"Opgeslagen: {result.recorded} keuzes van {result.pupils} leerlingen vastgelegd "
        f"(via {SOURCE_LABELS[source]}, door: ouder via app, tenzij het bestand de ouder "
        "noemt).")
    try:
        vault.close()  # the rotating backup after every real import
    except (RegisterError, OSError, sqlcipher.Error, DBAPIError) as exc:
        cause = translate_storage_error(exc, "Het maken van de reservekopie") or exc
        detail = f" {cause}" if isinstance(cause, RegisterError) else ""
        complain("De import is opgeslagen, maar de reservekopie daarna is niet gemaakt."
                 + detail + " Maak een reservekopie met 'privacyregister-cli backup' zodra "
                 "dat weer kan.")
        return SAVED_WITHOUT_BACKUP
    return failed


def _period(args: argparse.Namespace) -> tuple:
    from db.text import parse_dutch_date

    try:
        start, end = parse_dutch_date(args.date_from), parse_dutch_date(args.date_to)
    except ValueError as exc:
        raise CliError(f"Periode: {exc}") from None
    if end < start:
        raise CliError("De periode eindigt vóór ze begint. Er is niets geschreven.")
    return start, end


def cmd_export_breaches(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from db.breaches import gather_breach_register
    from desktop.printing.breaches import breach_register_pdf

    start, end = _period(args)
    vault = open_vault(args)
    try:
        with vault.session() as session:
            register = gather_breach_register(session, SYSTEM, start, end, datetime.now(UTC))
        with written_whole(Path(args.out)) as (out,):
            breach_register_pdf(out, register.school_name, register.rows,
                                period=register.period, now=register.now,
                                chain_head=register.chain_head)
    finally:
        vault.close(backup=False)
    say(f"Register met {len(register.rows)} datalekken geschreven naar {args.out}.")
    say(UNENCRYPTED)
    return OK


def cmd_print_board_breach_register(args: argparse.Namespace) -> int:
    """The board's breach register: every school of the register (a board session), as the
    system; on a file its one school."""
    from datetime import UTC, datetime

    from db.board import gather_board_breach_register
    from db.tenancy import use_board
    from desktop.printing.breaches import board_breach_register_pdf

    start, end = _period(args)
    vault = open_vault(args)
    try:
        with vault.session() as session:
            use_board(session)
            register = gather_board_breach_register(session, SYSTEM, start, end,
                                                    datetime.now(UTC))
        with written_whole(Path(args.out)) as (out,):
            board_breach_register_pdf(out, register)
    finally:
        vault.close(backup=False)
    schools = len(register.schools)
    say(f"Register van het bestuur met {register.count} datalekken van {schools} "
        f"{'school' if schools == 1 else 'scholen'} geschreven naar {args.out}.")
    say(UNENCRYPTED)
    return OK


def cmd_export_inspection(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from db.inspection import gather
    from desktop.printing.inspection import write_inspection

    start, end = _period(args)
    vault = open_vault(args)
    try:
        with vault.session() as session:
            inspection = gather(session, SYSTEM, start, end, now=datetime.now(UTC),
                                connect=vault.reader)  # the chain checked on more cores
        pdf, zip_path, digest = write_inspection(Path(args.out), inspection)
    finally:
        vault.close(backup=False)
    say(f"Inspectie-export geschreven: {pdf} en {zip_path}.")
    say(UNENCRYPTED)
    say(f"SHA-256 van de inhoud: {digest}")
    say(inspection.chain_message)
    return OK if inspection.chain_ok else CHECK_FAILED


def cmd_selftest(_args: argparse.Namespace) -> int:
    from desktop.selftest import run_selftest

    return run_selftest()


# --- parser -----------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="privacyregister-cli",
        description="Privacyregister zonder venster: aanmaken, reservekopie, controleren.")
    parser.add_argument("--version", action="version", version=f"Privacyregister {__version__}",
                        help="het versienummer tonen en stoppen")
    parser.add_argument("--database", default=str(paths.default_database()), metavar="BESTAND",
                        help="het databasebestand (standaard: %(default)s)")
    parser.add_argument("--server", metavar="ADRES",
                        help="het register op een databaseserver in plaats van een bestand: "
                        "postgresql://gebruiker@server:5432/database (het wachtwoord staat in "
                        "de sleutelopslag; versleuteling met TLS is verplicht)")
    parser.add_argument("--school", metavar="BRIN",
                        help="de school (haar BRIN-nummer) in een register met meer dan één "
                        "school, zoals dat van een bestuur op een databaseserver")
    parser.add_argument("--ca-file", metavar="BESTAND",
                        help="het CA-certificaat van het bestuur waarmee het certificaat van de "
                        "server wordt gecontroleerd (of sslrootcert in het adres)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")

    init = commands.add_parser("init", help="een nieuw register aanmaken")
    init.add_argument("--school", required=True, help="naam van de school")
    init.add_argument("--brin", required=True, help="BRIN-nummer, bijvoorbeeld 12AB")
    init.add_argument("--admin", required=True, help="gebruikersnaam van de eerste beheerder")
    init.add_argument("--recovery-pdf", help="waar de PDF met de herstelsleutel komt")
    init.add_argument("--app-role", metavar="GEBRUIKER",
                      help="met --server: de databasegebruiker waarmee het programma werkt (niet "
                      "de eigenaar); die mag de auditlog alleen aanvullen en lezen")
    init.set_defaults(run=cmd_init)

    backup = commands.add_parser("backup", help="een versleutelde reservekopie maken")
    backup.add_argument("--to", help="bestand voor de kopie (standaard: de map met kopieën)")
    backup.set_defaults(run=cmd_backup)

    restore = commands.add_parser("restore", help="een reservekopie terugzetten")
    restore.add_argument("file", help="de reservekopie")
    restore.add_argument("--source-recovery-key",
                         help="herstelsleutel van de kopie, als die van vóór een nieuwe sleutel is")
    restore.set_defaults(run=cmd_restore)

    verify = commands.add_parser("verify", help="bestand en auditketen controleren")
    verify.add_argument("--against", metavar="KETENKOP",
                        help="een eerder vastgelegde ketenkop (VOLGNUMMER:HASH)")
    verify.set_defaults(run=cmd_verify)

    demo = commands.add_parser("demo", help="een demoschool met verzonnen gegevens aanmaken")
    demo.add_argument("--pupils", type=int, default=400, help="aantal leerlingen (max. 100000)")
    demo.set_defaults(run=cmd_demo)

    rekey = commands.add_parser("rekey", help="de database een nieuwe sleutel geven")
    rekey.add_argument("--recovery-pdf", help="waar de PDF met de nieuwe herstelsleutel komt")
    rekey.add_argument("--passphrase", action="store_true",
                       help="een wachtwoordzin gebruiken in plaats van de sleutelopslag")
    rekey.set_defaults(run=cmd_rekey)

    importing = commands.add_parser(
        "import", help="leerlingen importeren uit ParnasSys/ESIS (EDEXML, CSV of XLSX)",
        description="Importeert de leerlingen zonder fouten; regels met fouten worden genoemd en "
        "overgeslagen (exitcode 1).")
    importing.add_argument("file", help="het exportbestand")
    importing.add_argument("--dry-run", action="store_true",
                           help="alleen laten zien wat er zou veranderen")
    importing.set_defaults(run=cmd_import)

    consents = commands.add_parser(
        "import-consents",
        help="privacyvoorkeuren uit de ouderapp importeren (Parro, Social Schools; CSV of XLSX)",
        description="Importeert de keuzes die ouders in de ouderapp maakten: één regel per "
        "leerling, één kolom per categorie. Niet ingevuld legt niets vast; een nieuwere keuze "
        "in het register blijft staan. Regels met fouten en leerlingen die niet gevonden zijn, "
        "worden genoemd en overgeslagen (exitcode 1).")
    consents.add_argument("file", help="het exportbestand met de privacyvoorkeuren")
    consents.add_argument("--source", required=True, choices=["parro", "socialschools", "anders"],
                          help="waar de keuzes vandaan komen")
    consents.add_argument("--date", metavar="DD-MM-JJJJ",
                          help="de datum van de keuzes (de sluitingsdatum in de app), nodig "
                          "als het bestand geen kolom met de datum heeft")
    consents.add_argument("--dry-run", action="store_true",
                          help="alleen laten zien wat er zou worden vastgelegd")
    consents.set_defaults(run=cmd_import_consents)

    printing = commands.add_parser("print", help="formulieren en lijsten afdrukken naar PDF")
    prints = printing.add_subparsers(dest="document", required=True, metavar="DOCUMENT")
    forms = prints.add_parser("consent-forms", help="toestemmingsformulieren per leerling")
    which = forms.add_mutually_exclusive_group(required=True)
    which.add_argument("--group", help="één groep, bijvoorbeeld 5A")
    which.add_argument("--all", action="store_true", help="de hele school")
    forms.add_argument("--out", required=True, help="het PDF-bestand")
    forms.set_defaults(run=cmd_print_consent_forms)
    photo = prints.add_parser("niet-op-de-foto", help="per groep: wie niet op de foto mag")
    photo.add_argument("--group", help="één groep (standaard: alle groepen)")
    photo.add_argument("--out", required=True, help="het PDF-bestand")
    photo.set_defaults(run=cmd_print_photo_lists)
    guide = prints.add_parser("schoolgids",
                              help="de privacytekst voor de schoolgids (DOCX of PDF)")
    guide.add_argument("--out", required=True,
                       help="het bestand: .docx om in de schoolgids te plakken, of .pdf")
    guide.set_defaults(run=cmd_print_schoolgids)
    register = prints.add_parser("verwerkingsregister",
                                 help="het register van verwerkingsactiviteiten (AVG art. 30)")
    register.add_argument("--out", required=True, help="het PDF-bestand")
    register.set_defaults(run=cmd_print_processing_register)
    board = prints.add_parser(
        "board-breach-register",
        help="het register van datalekken van alle scholen van het bestuur over een periode")
    board.add_argument("--from", dest="date_from", required=True, metavar="DATUM",
                       help="begin van de periode (dd-mm-jjjj)")
    board.add_argument("--to", dest="date_to", required=True, metavar="DATUM",
                       help="einde van de periode, inclusief (dd-mm-jjjj)")
    board.add_argument("--out", required=True, help="het PDF-bestand")
    board.set_defaults(run=cmd_print_board_breach_register)

    check = commands.add_parser(
        "photo-check", help="fotocheck: wie van een groep niet op de foto mag voor een doel",
        description="Noemt per leerling waarom die niet op de foto mag: geweigerd, "
        "ingetrokken, niet gevraagd of niet gevraagd dit schooljaar.")
    check.add_argument("--purpose", action="append", required=True, metavar="CODE",
                       help="het doel, bijvoorbeeld foto_website (mag vaker)")
    check.add_argument("--group", action="append", required=True, metavar="GROEP",
                       help="de groep, bijvoorbeeld 5A (mag vaker)")
    check.add_argument("--out", help="ook een PDF voor de fotograaf")
    check.set_defaults(run=cmd_photo_check)

    exporting = commands.add_parser("export", help="registers exporteren naar PDF")
    exports = exporting.add_subparsers(dest="register", required=True, metavar="REGISTER")
    breaches = exports.add_parser("breaches", help="het register van datalekken over een periode")
    breaches.add_argument("--from", dest="date_from", required=True, metavar="DATUM",
                          help="begin van de periode (dd-mm-jjjj)")
    breaches.add_argument("--to", dest="date_to", required=True, metavar="DATUM",
                          help="einde van de periode, inclusief (dd-mm-jjjj)")
    breaches.add_argument("--out", required=True, help="het PDF-bestand")
    breaches.set_defaults(run=cmd_export_breaches)
    inspection = exports.add_parser(
        "inspection", help="alles voor inspectie of FG over een periode (PDF en ZIP met CSV)")
    inspection.add_argument("--from", dest="date_from", required=True, metavar="DATUM",
                            help="begin van de periode (dd-mm-jjjj)")
    inspection.add_argument("--to", dest="date_to", required=True, metavar="DATUM",
                            help="einde van de periode, inclusief (dd-mm-jjjj)")
    inspection.add_argument("--out", required=True,
                            help="het PDF-bestand; de ZIP komt ernaast")
    inspection.set_defaults(run=cmd_export_inspection)

    from desktop.cli_migrate import add_parser as add_migrate_to

    add_migrate_to(commands)

    selftest = commands.add_parser("selftest", help="de installatie controleren")
    selftest.set_defaults(run=cmd_selftest)
    return parser


def quiet_library_logging() -> None:
    """Log records of the libraries (and of db/) are not printed on the console: without a
    handler Python prints a record with its traceback in English on stderr, as SQLAlchemy's
    "Error closing cursor" after a Ctrl-C that landed in a read. The command line says what
    happened in Dutch itself."""
    root = logging.getLogger()
    if not any(isinstance(handler, logging.NullHandler) for handler in root.handlers):
        root.addHandler(logging.NullHandler())


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # whatever this process creates is the user's only (0600 / 0700)
    quiet_library_logging()
    configure_keyring()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo" and not 1 <= args.pupils <= 100_000:
        parser.error("--pupils moet tussen 1 en 100000 liggen")
    if args.command == "demo" and args.database == str(paths.default_database()):
        args.database = str(paths.demo_database())
    ctrl_c, before = _noting_ctrl_c()
    try:
        for name, what in (("out", "het uitvoerbestand"), ("to", "de reservekopie")):
            if getattr(args, name, None):
                check_output(getattr(args, name), what)
        return args.run(args)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt) or (ctrl_c.is_set() and isinstance(exc, Exception)):
            complain("Afgebroken. Wat nog niet klaar was, is niet bewaard.")
            return USAGE
        if isinstance(exc, (CliError, VaultError, RegisterError)):
            complain(str(exc))
            return USAGE
        if isinstance(exc, (OSError, sqlcipher.Error, DBAPIError)):
            complain(_storage_message(exc))
            return USAGE
        raise
    finally:
        if before is not None:
            signal.signal(signal.SIGINT, before)


def _noting_ctrl_c() -> tuple[threading.Event, object]:
    """Ctrl-C still raises KeyboardInterrupt, and is remembered: a library that turns it into
    an error of its own (reportlab's font reader reports a 'corrupt' font) is then still told
    as an interruption. Returns the event and the handler to put back (None: left alone, as
    when Ctrl-C is ignored or this is not the main thread)."""
    pressed = threading.Event()
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        return pressed, None

    def on_ctrl_c(signum: int, frame: object) -> None:
        pressed.set()
        signal.default_int_handler(signum, frame)

    return pressed, signal.signal(signal.SIGINT, on_ctrl_c)


def _storage_message(exc: BaseException) -> str:
    """One Dutch line for an error of the operating system or SQLite that no command caught."""
    translated = translate_storage_error(exc, "De opdracht")
    if translated is not None:
        return str(translated)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        code = f" (foutcode {exc.errno})" if exc.errno else ""
        return (f"Een bestand kon niet worden gelezen of geschreven{where}{code}. Controleer "
                "de map en de schijf en probeer het opnieuw.")
    return ("De database gaf een fout bij het lezen of schrijven. Controleer het bestand met "
            "'privacyregister-cli verify' en probeer het opnieuw.")


if __name__ == "__main__":
    raise SystemExit(main())
