"""One entry point for an imported file: choose the reader by content, never by extension,
and never raise — whatever arrives ends as a ParsedFile with Dutch problems.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping

from db.bulk import cyclic_gc_paused
from db.imports.edexml import MAX_FILE_BYTES, parse_edexml, too_large
from db.imports.model import ImportProblem, ParsedFile
from db.imports.tabular import Table, TableError, guess_mapping, parse_table, read_table

_NOTHING = " Er is niets ingelezen."
_UNKNOWN = ("Dit bestand is geen EDEXML-, CSV- of Excel-export (onbekend bestandstype). "
            "Kies een export uit ParnasSys of ESIS, of een lijst als .csv of .xlsx.")
_SIGNATURES = {
    b"\xd0\xcf\x11\xe0": "Dit is een oud Excel-bestand (.xls). Open het in Excel en sla het op "
                         "als Excel-werkmap (.xlsx) of als CSV.",
    b"%PDF": "Dit is een PDF-bestand. Kies een export als EDEXML, CSV of Excel (.xlsx).",
}


def parse_file(data: bytes, name: str,
               mapping: Mapping[str, str] | None = None) -> tuple[ParsedFile, Table | None]:
    """Read an export. EDEXML → (parsed, None); CSV/XLSX → (parsed, table) so the app can
    show the columns and let the user correct ``mapping`` (field → header; guessed if None)."""
    where = name or "bestand"
    try:
        with cyclic_gc_paused():
            return _parse(data, name, where, mapping)
    except Exception:  # the last safety net: a file from outside must never crash the app
        return _problem(where, "Het bestand kon niet worden gelezen (onverwachte fout)."), None


def _problem(where: str, message: str) -> ParsedFile:
    return ParsedFile(problems=[ImportProblem(where, message + _NOTHING)])


def _parse(data: bytes, name: str, where: str,
           mapping: Mapping[str, str] | None) -> tuple[ParsedFile, Table | None]:
    if len(data) > MAX_FILE_BYTES:
        return too_large(where), None
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        return _problem(where, "Het bestand is leeg."), None
    if _looks_like_xml(data):
        if b"<html" in data[:1024].lower() or b"<!doctype html" in data[:1024].lower():
            return _problem(where, "Dit is een webpagina (HTML), geen export. Kies een "
                            "EDEXML-, CSV- of Excel-bestand."), None
        return parse_edexml(data, name=name), None
    for signature, message in _SIGNATURES.items():
        if data.startswith(signature):
            return _problem(where, message), None
    try:
        table = read_table(data, name)
    except TableError as error:
        if _binary(data):
            return _problem(where, _UNKNOWN), None
        return _problem(where, str(error)), None
    guessed = guess_mapping(table.headers)
    if table.source == "CSV" and _binary(data) and not guessed:
        return _problem(where, _UNKNOWN), None
    chosen = dict(mapping) if mapping is not None else guessed
    return parse_table(table, chosen), table


def not_a_table(data: bytes) -> str | None:
    """Why these bytes are no CSV or XLSX list (empty, a web page, XML, PDF, old .xls or
    binary), in Dutch, or None when they may be one. For readers of lists only."""
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        return "Het bestand is leeg."
    if _looks_like_xml(data):
        return ("Dit is een XML- of HTML-bestand, geen lijst. Kies de export als CSV (.csv) of "
                "Excel-werkmap (.xlsx).")
    for signature, message in _SIGNATURES.items():
        if data.startswith(signature):
            return message
    if _binary(data):
        return ("Dit bestand is geen CSV- of Excel-lijst (onbekend bestandstype). Kies de "
                "export als .csv of .xlsx.")
    return None


def _looks_like_xml(data: bytes) -> bool:
    head = data[:512]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head[:510].decode("utf-16", errors="ignore").encode()
    return head.lstrip(codecs.BOM_UTF8).lstrip(b" \t\r\n").startswith(b"<")


def _binary(data: bytes) -> bool:
    """Control bytes that no text export contains (UTF-16 text and workbooks are let through)."""
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"PK\x03\x04")):
        return False
    control = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return b"\x00" in head or control > len(head) // 100
