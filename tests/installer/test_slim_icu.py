"""installer/slim_icu.py: the Linux build's smaller ICU data library, made from PySide6's own
and loaded by PySide6's own Qt in a child process (so the frozen build's ICU is this one)."""

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))
import slim_icu  # noqa: E402

sys.path.remove(str(ROOT / "installer"))

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="Qt ships its own ICU on Linux only")


def pyside_icu_data() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 has no bundled ICU")
    return found[0]


def items_of(package: bytes) -> dict[str, bytes]:
    """name -> item bytes (with the alignment padding) of an ICU common data package."""
    header_size, = struct.unpack_from("<H", package, 0)
    count, = struct.unpack_from("<I", package, header_size)
    table = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    items = {}
    for i, (name_offset, data_offset) in enumerate(table):
        start = header_size + name_offset
        name = package[start:package.index(b"\0", start)].decode()
        end = header_size + table[i + 1][1] if i + 1 < count else len(package)
        items[name] = package[header_size + data_offset:end]
    return items


@pytest.mark.parametrize(("name", "size", "kept"), [
    ("icudt73l/coll/nl.res", 900, True),
    ("icudt73l/coll/root.res", 300_000, True),
    ("icudt73l/coll/ucadata.icu", 570_000, True),
    ("icudt73l/coll/zh.res", 712_800, False),
    ("icudt73l/en_GB.res", 9000, True),
    ("icudt73l/de.res", 9000, False),
    ("icudt73l/sr_Latn_BA.res", 900, False),
    ("icudt73l/zone/nl.res", 9000, True),
    ("icudt73l/zone/fr.res", 9000, False),
    ("icudt73l/zone/pool.res", 9000, True),
    ("icudt73l/res_index.res", 9000, True),
    ("icudt73l/zoneinfo64.res", 150_000, True),
    ("icudt73l/supplementalData.res", 240_000, True),
    ("icudt73l/brkitr/cjdict.dict", 2_000_000, False),
    ("icudt73l/brkitr/root.res", 900, False),
    ("icudt73l/translit/root.res", 1_000_000, False),
    ("icudt73l/ibm-5348_P100-1997.cnv", 2_500, True),  # windows-1252
    ("icudt73l/gb18030.cnv", 232_816, False),
    ("icudt73l/nfkc.nrm", 40_000, True),
])
def test_which_items_stay(name, size, kept):
    assert slim_icu.keep_item(name, size) is kept


def test_slim_package_keeps_the_kept_items_byte_for_byte_and_in_order():
    library = pyside_icu_data()
    data = library.read_bytes()
    offset, size = slim_icu._elf_symbol(data, f"icudt{library.name.rsplit('.', 1)[1]}_dat")
    full = data[offset:offset + size]
    slim, kept, total = slim_icu.slim_package(full)
    before, after = items_of(full), items_of(slim)
    assert len(after) == kept < total == len(before)
    assert list(after) == [name for name in before if name in after]  # still sorted
    assert all(after[name].rstrip(b"\0") == before[name].rstrip(b"\0") for name in after)
    assert all(slim_icu.keep_item(name, len(before[name])) for name in after)
    assert len(slim) < len(full) / 4


PROBE = """
from PySide6.QtCore import QCollator, QLocale, QStringDecoder
nl = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)
collator = QCollator(nl)
print(collator.compare("appel", "Banaan") < 0, collator.compare("Zoë", "zoem") < 0,
      QStringDecoder("windows-1252").isValid(), QStringDecoder("Shift_JIS").isValid(),
      nl.toUpper("ijsselmeer"))
"""


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                    reason="no C compiler: the build keeps the full ICU data")
def test_qt_collates_dutch_and_decodes_windows_1252_with_the_slim_library(tmp_path):
    source = pyside_icu_data()
    kept, total = slim_icu.slim_library(source, tmp_path / source.name)
    assert (tmp_path / source.name).stat().st_size < source.stat().st_size / 4
    # LD_LIBRARY_PATH goes before Qt's RUNPATH ($ORIGIN), so Qt loads the slim library
    env = dict(os.environ, LD_LIBRARY_PATH=str(tmp_path), LD_DEBUG="libs",
               QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{tmp_path / source.name}" in result.stderr  # the loader's own word for it
    # codepoint order would put "Banaan" first; only ICU's collation data says "appel"
    assert result.stdout.split() == ["True", "True", "True", "False", "IJSSELMEER"]
