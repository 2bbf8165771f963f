"""A smaller ICU data library for the Linux build (used by privacyregister.spec).

PySide6's Linux wheels bring Qt's own ICU, and its data library libicudata.so.NN holds every
locale, converter, dictionary and transliterator of ICU: 30 MB, a sixth of the build. Windows
is not affected: Qt uses the ICU that is part of Windows there.

What Qt calls ICU for (the ICU symbols libQt6Core and the plugins import, checked for Qt 6.11:
ucol_*, ucnv_*, ucal_*, u_strToUpper/u_strToLower): collation (QCollator), codecs beyond
UTF-8/UTF-16/Latin-1 (QStringConverter by name), time-zone names and IDs, case mapping. So the
slim library keeps:

- all non-locale data: normalization, case and property data, collation base (ucadata),
  time zones (zoneinfo64, metaZones, windowsZones, ...), likely subtags, plural rules;
- the locale data of root, Dutch and English (every nl_* and en_* variant) in every tree
  (main, coll, zone, curr, lang, region, unit, rbnf), and each tree's pool and index;
- the single-byte code pages (<= 16 KiB each: windows-125x, ISO-8859-x, KOI8, ...).

It drops the locale data of other languages (QCollator for, say, German falls back to the root
collation, which sorts German names the same way), the multi-byte East-Asian converters, the
break-iterator rules and dictionaries (Qt finds text boundaries with its own tables) and the
transliterators (Qt has no API for them). 30 MB becomes about 4.5 MB.

The data is ICU's "common data" package (format CmnD, ucmndata.h): a header, an item count,
a table of (name offset, data offset) pairs sorted by name, the names, then the items. The
slim package keeps the header and the order; the library is made by the C compiler from one
assembly line (.incbin) exporting the same symbol (icudtNN_dat) under the same soname.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

LOCALE = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9]+)*$")  # nl, en_GB, sr_Latn_BA; not 'pool'
KEEP_LANGUAGES = {"en", "nl"}
DROP_TREES = {"brkitr", "translit"}
MAX_CONVERTER = 16 * 1024


def keep_item(name: str, size: int) -> bool:
    """Whether an item of the package (e.g. 'icudt73l/coll/nl.res') stays."""
    parts = name.split("/")[1:]  # without the package name
    if len(parts) > 1 and parts[0] in DROP_TREES:
        return False
    stem, _, ext = parts[-1].rpartition(".")
    if ext == "cnv":
        return size <= MAX_CONVERTER
    if ext == "res" and stem != "res_index" and LOCALE.match(stem):
        return stem.split("_")[0] in KEEP_LANGUAGES
    return True


def _elf_symbol(data: bytes, wanted: str) -> tuple[int, int]:
    """(file offset, size) of a defined dynamic symbol in a little-endian ELF64 file."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a little-endian ELF64 library")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link][4]
        for k in range(size // entsize):
            st_name, _, _, shndx, value, st_size = struct.unpack_from(
                "<IBBHQQ", data, offset + k * entsize)
            end = data.index(b"\0", strtab + st_name)
            if data[strtab + st_name:end].decode() == wanted and shndx:
                holder = sections[shndx]  # file offset = value - sh_addr + sh_offset
                return value - holder[3] + holder[4], st_size
    raise ValueError(f"symbol {wanted} not found")


def slim_package(common: bytes) -> tuple[bytes, int, int]:
    """The common data package without the dropped items; returns (package, kept, all)."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", common, 0)
    if (magic1, magic2) != (0xDA, 0x27) or common[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    count, = struct.unpack_from("<I", common, header_size)
    table = [struct.unpack_from("<II", common, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(table):
        start = header_size + name_offset
        name = common[start:common.index(b"\0", start)].decode("ascii")
        end = header_size + (table[i + 1][1] if i + 1 < count else len(common) - header_size)
        body = common[header_size + data_offset:end]
        if keep_item(name, len(body)):
            items.append((name, body))
    names = b""
    name_offsets = []
    toc_size = 4 + 8 * len(items)
    for name, _ in items:
        name_offsets.append(toc_size + len(names))
        names += name.encode("ascii") + b"\0"
    position = toc_size + len(names)
    position += -position % 16
    data_offsets, blob = [], b""
    for _, body in items:
        padded = body + b"\0" * (-len(body) % 16)  # ICU reads every item 16-byte aligned
        data_offsets.append(position + len(blob))
        blob += padded
    toc = struct.pack("<I", len(items)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True))
    between = b"\0" * (data_offsets[0] - toc_size - len(names)) if items else b""
    return common[:header_size] + toc + names + between + blob, len(items), count


def slim_library(library: Path, output: Path) -> tuple[int, int]:
    """Write a slim copy of libicudata.so.NN to ``output``; returns (kept items, all items).

    Raises RuntimeError when no C compiler is at hand (the caller keeps the full library).
    """
    match = re.fullmatch(r"libicudata\.so\.(\d+)", library.name)
    if not match:
        raise ValueError(f"{library.name} is not libicudata.so.NN")
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise RuntimeError("no C compiler (cc) to link the slim ICU data library")
    symbol = f"icudt{match.group(1)}_dat"
    data = library.read_bytes()
    offset, size = _elf_symbol(data, symbol)
    package, kept, total = slim_package(data[offset:offset + size])
    with tempfile.TemporaryDirectory(prefix="slim-icu-") as tmp:
        blob = Path(tmp) / "icudata.dat"
        blob.write_bytes(package)
        source = Path(tmp) / "icudata.S"
        source.write_text(
            f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n'
            f'\t.balign 16\n{symbol}:\n\t.incbin "{blob}"\n\t.size {symbol}, .-{symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        output.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([compiler, "-shared", "-nostdlib", "-s", f"-Wl,-soname,{library.name}",
                        "-o", str(output), str(source)], check=True, capture_output=True)
    return kept, total
