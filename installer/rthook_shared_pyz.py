"""Runtime hook of both frozen executables (see privacyregister.spec): import every Python
module from the one archive they share, _internal/privacyregister.pyz.

Each executable embeds an empty module archive; the bootloader has opened it and PyInstaller's
importer (pyimod02_importers) reads from it. This hook runs first, before PyInstaller's own
runtime hooks and the entry script, and hands the importer the shared archive instead. It uses
PyInstaller's loader modules, so tests/installer/test_frozen_build.py runs both executables of
a real build to catch a PyInstaller release that changes them.
"""


def _use_shared_archive() -> None:
    import os
    import sys

    import pyimod01_archive
    import pyimod02_importers

    shared = pyimod01_archive.ZlibArchiveReader(
        os.path.join(sys._MEIPASS, "privacyregister.pyz"), check_pymagic=True)
    pyimod02_importers.pyz_archive = shared  # read by every finder created from now on
    for finder in list(sys.path_importer_cache.values()):  # and by those created already
        if isinstance(finder, pyimod02_importers.PyiFrozenFinder):
            finder._pyz_archive = shared


_use_shared_archive()
del _use_shared_archive
