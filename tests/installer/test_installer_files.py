"""Static checks of the Windows installer files (no Windows, no Qt, no PyInstaller needed).

The rules that matter most for a school: the installer needs no administrator, installs only
under {app}, and its uninstaller never deletes the register or its backups.
"""

from __future__ import annotations

import ast
import re
import struct
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
ISS = INSTALLER / "privacyregister.iss"
SPEC = INSTALLER / "privacyregister.spec"
BUILD_PS1 = INSTALLER / "build.ps1"
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"
ICONS = ROOT / "resources" / "icons"


# --- a small Inno Setup script reader ---
def _split_params(line: str) -> dict[str, str]:
    """'Source: "a;b"; DestDir: "{app}"' -> {'source': 'a;b', 'destdir': '{app}'}."""
    parts, current, quoted = [], [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    params = {}
    for part in parts:
        if ":" in part:
            key, value = part.split(":", 1)
            params[key.strip().lower()] = value.strip().strip('"')
    return params


def _read_iss() -> tuple[dict[str, list[str]], list[str]]:
    """Section name (lower case) -> its lines without comments; plus the preprocessor lines."""
    sections: dict[str, list[str]] = {}
    preprocessor: list[str] = []
    current = None
    for raw in ISS.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if current != "code" and (not line or line.startswith(";") or line.startswith("//")):
            continue
        if line.startswith("#"):
            preprocessor.append(line)
            continue
        header = re.fullmatch(r"\[([A-Za-z]+)\]", line)
        if header:
            current = header.group(1).lower()
            sections.setdefault(current, [])
            continue
        if current is not None and line:
            sections[current].append(line)
    return sections, preprocessor


@pytest.fixture(scope="module")
def iss():
    sections, _ = _read_iss()
    return sections


@pytest.fixture(scope="module")
def setup(iss) -> dict[str, str]:
    directives = {}
    for line in iss["setup"]:
        key, _, value = line.partition("=")
        directives[key.strip().lower()] = value.strip()
    return directives


def _entries(iss, section: str) -> list[dict[str, str]]:
    return [_split_params(line) for line in iss.get(section, [])]


def _under_app(path: str) -> bool:
    path = path.replace("/", "\\")
    return (path == "{app}" or path.lower().startswith("{app}\\")) and ".." not in path


# --- the .iss ---
def test_iss_installs_per_user_without_admin(setup):
    assert setup.get("privilegesrequired", "").lower() == "lowest"
    # no /ALLUSERS or dialog override: the install can never become an admin install that
    # writes into an administrator's profile
    assert setup.get("privilegesrequiredoverridesallowed", "") == ""


def test_iss_default_dir_is_under_localappdata_programs(setup):
    assert setup["defaultdirname"].lower().startswith("{localappdata}\\programs\\")
    assert setup["defaultdirname"].endswith("Privacyregister")


def test_iss_basic_directives(setup):
    assert setup.get("disableprogramgrouppage", "").lower() == "yes"
    assert setup.get("closeapplications", "").lower() == "yes"
    assert setup.get("uninstalldisplayicon", "").lower().startswith("{app}\\")
    # a fixed AppId (GUID) so that upgrades find the installed version and keep its folder
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["appid"], re.I)


def test_iss_app_version_is_overridable_from_the_command_line(setup):
    _, preprocessor = _read_iss()
    assert setup["appversion"] == "{#AppVersion}"
    # every '#define AppVersion' must sit inside '#ifndef AppVersion' so /DAppVersion=... wins
    guarded = False
    defines = 0
    for line in preprocessor:
        words = line.lstrip("#").split()
        if not words:
            continue
        if words[0] == "ifndef" and words[1:2] == ["AppVersion"]:
            guarded = True
        elif words[0] == "endif":
            guarded = False
        elif words[0] == "define" and words[1:2] == ["AppVersion"]:
            defines += 1
            assert guarded, f"unguarded {line!r}: /DAppVersion would be overwritten"
    assert defines == 1


def test_iss_has_dutch_and_english(iss):
    languages = {e["name"]: e["messagesfile"] for e in _entries(iss, "languages")}
    assert languages.get("dutch") == "compiler:Languages\\Dutch.isl"
    assert languages.get("english") == "compiler:Default.isl"
    # every custom message exists in both languages
    names: dict[str, set[str]] = {"dutch": set(), "english": set()}
    for line in iss.get("custommessages", []):
        lang, _, rest = line.partition(".")
        names.setdefault(lang, set()).add(rest.partition("=")[0])
    assert names["dutch"], "no [CustomMessages]"
    assert names["dutch"] == names["english"]


FORBIDDEN = (
    "{localappdata}",
    "{userappdata}",
    "{commonappdata}",
    "{userdocs}",
    "{commondocs}",
    "{userprofile}",
    "{%",
    "{sd}",
    "{tmp}",
    "{win}",
    "{sys}",
)


@pytest.mark.parametrize("section", ["uninstalldelete", "installdelete"])
def test_iss_deletes_nothing_outside_app(iss, section):
    for entry in _entries(iss, section):
        name = entry.get("name", "")
        assert _under_app(name), f"[{section}] touches {name!r}, outside {{app}}"
        lowered = name.lower()
        assert not any(token in lowered for token in FORBIDDEN), name
        assert "privacyregister" not in lowered.replace("{app}", ""), name


def test_iss_has_no_uninstall_delete_entries(iss):
    # stricter than the rule above: the uninstaller removes what it installed, nothing more
    assert not iss.get("uninstalldelete")


def test_iss_installs_only_under_app(iss):
    files = _entries(iss, "files")
    assert files, "no [Files]"
    for entry in files + _entries(iss, "dirs"):
        target = entry.get("destdir") or entry.get("name", "")
        assert _under_app(target), f"installs into {target!r}, outside {{app}}"
    assert any(e["source"].startswith("{#DistDir}\\") for e in files)


def test_iss_code_never_deletes_files(iss):
    code = "\n".join(iss.get("code", []))
    for call in ("DelTree", "DeleteFile", "RemoveDir", "DelayDeleteFile", "Exec", "ShellExec"):
        assert not re.search(rf"\b{call}\s*\(", code, re.I), f"[Code] calls {call}"


def test_iss_sources_the_pyinstaller_folder():
    _, preprocessor = _read_iss()
    defines = dict(
        re.match(r'#\s*define\s+(\w+)\s+"([^"]*)"', line).groups()
        for line in preprocessor
        if re.match(r'#\s*define\s+\w+\s+"', line)
    )
    assert defines["DistDir"] == "..\\dist\\Privacyregister"
    assert defines["AppExeName"] == "Privacyregister.exe"


# --- the spec, executed with stand-ins for PyInstaller's classes ---
class _Target:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.name = f"/build/{type(self).__name__}-{id(self)}"  # PYZ: the archive it writes


@pytest.fixture(scope="module")
def spec_run(tmp_path_factory):
    """Run the spec with fake Analysis/PYZ/EXE/COLLECT and fake hook helpers; record the calls."""
    calls: dict[str, list] = {"Analysis": [], "EXE": [], "COLLECT": [], "PYZ": []}
    qt_translations = [
        ("PySide6/Qt/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA"),
        ("PySide6/Qt/translations/qtbase_nl.qm", "/x/qtbase_nl.qm", "DATA"),
        ("PySide6\\translations\\qt_en.qm", "/x/qt_en.qm", "DATA"),
        ("PySide6\\translations\\qt_fr.qm", "/x/qt_fr.qm", "DATA"),
    ]

    def analysis(scripts, **kwargs):
        a = types.SimpleNamespace(
            scripts=list(scripts),
            pure=[],
            binaries=list(kwargs.get("binaries", [])),
            datas=[
                (str(Path(dest) / Path(src).name), src, "DATA")
                for src, dest in kwargs.get("datas", [])
            ]
            + qt_translations,
            kwargs=kwargs,
        )
        calls["Analysis"].append(a)
        return a

    def record(kind):
        def make(*args, **kwargs):
            target = _Target(*args, **kwargs)
            calls[kind].append(target)
            return target

        return make

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package, **kw: []
    hooks.collect_dynamic_libs = lambda package, **kw: []
    hooks.collect_submodules = lambda package, **kw: [package]
    hooks.copy_metadata = lambda dist, **kw: []
    versioninfo = types.ModuleType("PyInstaller.utils.win32.versioninfo")
    for name in (
        "FixedFileInfo",
        "StringFileInfo",
        "StringStruct",
        "StringTable",
        "VarFileInfo",
        "VarStruct",
        "VSVersionInfo",
    ):
        setattr(versioninfo, name, _Target)  # only reached when the tests run on Windows
    fake_modules = {
        "PyInstaller": types.ModuleType("PyInstaller"),
        "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
        "PyInstaller.utils.hooks": hooks,
        "PyInstaller.utils.win32": types.ModuleType("PyInstaller.utils.win32"),
        "PyInstaller.utils.win32.versioninfo": versioninfo,
    }
    saved_modules = {name: sys.modules.get(name) for name in fake_modules}
    saved_path = list(sys.path)
    sys.modules.update(fake_modules)
    namespace = {
        "__name__": "__main__",
        "SPECPATH": str(INSTALLER),
        "workpath": str(tmp_path_factory.mktemp("pyinstaller-work")),
        "Analysis": analysis,
        "PYZ": record("PYZ"),
        "EXE": record("EXE"),
        "COLLECT": record("COLLECT"),
    }
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.path[:] = saved_path
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return calls, namespace


def test_spec_is_one_folder_without_upx(spec_run):
    calls, _ = spec_run
    assert len(calls["EXE"]) == 2
    for exe in calls["EXE"]:
        assert exe.kwargs.get("exclude_binaries") is True, "one-folder needs exclude_binaries=True"
        assert exe.kwargs.get("upx") is False
        # a one-file EXE would receive the binaries and datas itself
        for arg in exe.args:
            assert not (
                isinstance(arg, list)
                and arg
                and isinstance(arg[0], tuple)
                and any(t[-1] in ("BINARY", "DATA") for t in arg)
            )
    assert len(calls["COLLECT"]) == 1
    collect = calls["COLLECT"][0]
    assert collect.kwargs.get("upx") is False
    assert collect.kwargs.get("name") == "Privacyregister"
    # both executables end up in the same folder
    assert sum(isinstance(arg, _Target) for arg in collect.args) == 2
    # MERGE would give the onedir executables one-file semantics (unpacking to %TEMP%)
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    called = {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    assert "MERGE" not in called


def test_spec_names_gui_and_console_executables(spec_run):
    calls, _ = spec_run
    by_name = {exe.kwargs["name"]: exe.kwargs for exe in calls["EXE"]}
    assert by_name["Privacyregister"]["console"] is False
    assert by_name["privacyregister-cli"]["console"] is True
    scripts = sorted(Path(a.scripts[0]).name for a in calls["Analysis"])
    assert scripts == ["entry_cli.py", "entry_gui.py"]


def test_spec_carries_resources_and_migrations(spec_run):
    calls, _ = spec_run
    for a in calls["Analysis"]:
        datas = {(Path(src).resolve(), dest.replace("\\", "/")) for src, dest in a.kwargs["datas"]}
        font = ROOT / "resources" / "fonts" / "DejaVuSans.ttf"
        if font.exists():
            assert (font.resolve(), "resources/fonts") in datas
        icon = (ICONS / "privacyregister.png").resolve()
        assert (icon, "resources/icons") in datas
        migrations = [dest for _, dest in datas if dest.startswith("db/migrations")]
        assert migrations, "db/migrations is not in the datas"
        hidden = set(a.kwargs["hiddenimports"])
        for module in (
            "sqlcipher3.dbapi2",
            "sqlalchemy.dialects.sqlite",
            "resources",
            "db",
            "keyring.backends",
        ):
            assert module in hidden, module


def test_spec_keeps_only_dutch_and_english_qt_translations(spec_run):
    calls, _ = spec_run
    for a in calls["Analysis"]:
        names = {Path(dest.replace("\\", "/")).name for dest, _, _ in a.datas}
        assert {"qtbase_nl.qm", "qt_en.qm"} <= names
        assert not {"qtbase_de.qm", "qt_fr.qm"} & names


def test_spec_excludes_unused_qt_modules(spec_run):
    calls, _ = spec_run
    excludes = set(calls["Analysis"][0].kwargs["excludes"])
    for module in (
        "PySide6.QtWebEngineCore",
        "PySide6.QtQml",
        "PySide6.QtQuick",
        "PySide6.QtMultimedia",
        "PySide6.QtSql",
        "tkinter",
        "keyrings",
    ):
        assert module in excludes


def test_spec_version_matches_db_version(spec_run):
    _, namespace = spec_run
    text = (ROOT / "db" / "__init__.py").read_text(encoding="utf-8")
    assert f'"{namespace["VERSION"]}"' in text or f"'{namespace['VERSION']}'" in text
    assert namespace["version_tuple"]("1.2.0rc1") == (1, 2, 0, 0)
    assert namespace["version_tuple"]("2") == (2, 0, 0, 0)


def test_iss_and_spec_agree_on_names(spec_run):
    calls, _ = spec_run
    _, preprocessor = _read_iss()
    joined = "\n".join(preprocessor)
    folder = calls["COLLECT"][0].kwargs["name"]
    gui = next(e.kwargs["name"] for e in calls["EXE"] if e.kwargs["console"] is False)
    assert f'"..\\dist\\{folder}"' in joined
    assert f'"{gui}.exe"' in joined


# --- build script, workflow, icon ---
def test_build_script_runs_selftests_and_passes_version():
    text = BUILD_PS1.read_text(encoding="utf-8")
    text.encode("ascii")  # Windows PowerShell 5.1 misreads non-ASCII in BOM-less scripts
    assert "privacyregister.spec" in text and "--noconfirm" in text
    assert '"--selftest"' in text and '@("selftest")' in text
    assert ".ExitCode" in text and "$LASTEXITCODE" in text
    assert "/DAppVersion=$Version" in text
    assert "SIGN_CERT_PATH" in text


def test_workflow_builds_on_windows_and_uploads():
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "runs-on: windows-latest" in text
    assert 'python-version: "3.12"' in text
    assert "installer/build.ps1" in text
    assert "actions/upload-artifact" in text and "dist/installer/" in text
    assert "workflow_dispatch" in text


def test_workflow_reports_the_size_of_the_windows_build():
    text = WORKFLOW.read_text(encoding="utf-8")
    step = text[text.index("- name: Size of the build"):text.index("- name: Install, check")]
    assert "dist\\Privacyregister" in step and "Measure-Object -Sum Length" in step
    assert "$env:GITHUB_STEP_SUMMARY" in step and "Write-Host $line" in step
    assert text.index("./installer/build.ps1") < text.index("- name: Size of the build")


def test_icons_exist_in_the_right_sizes():
    png = (ICONS / "privacyregister.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (256, 256)

    ico = (ICONS / "privacyregister.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, height, _, _, _, bpp, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i]
        )
        assert offset + length <= len(ico)
        assert bpp == 32
        sizes.add(width or 256)
    assert {16, 24, 32, 48, 256} <= sizes


# --- what the spec leaves out, and the one module archive ---
def test_spec_stores_python_modules_once_for_both_executables(spec_run):
    calls, namespace = spec_run
    hook = str(INSTALLER / "rthook_shared_pyz.py")
    for a in calls["Analysis"]:
        assert a.kwargs["runtime_hooks"][0] == hook  # custom hooks run before PyInstaller's
    shared, empty = namespace["pyz_shared"], namespace["pyz_empty"]
    assert calls["PYZ"] == [shared, empty] and empty.args == ([],)
    for exe in calls["EXE"]:
        assert exe.args[0] is empty  # the bootloader needs a PYZ; the hook swaps it
    collect_tocs = [arg for arg in calls["COLLECT"][0].args if isinstance(arg, list)]
    assert [("privacyregister.pyz", shared.name, "DATA")] in collect_tocs
    assert namespace["SHARED_PYZ"] in (INSTALLER / "rthook_shared_pyz.py").read_text()


def test_spec_excludes_qtnetwork_and_keeps_pillow(spec_run):
    calls, _ = spec_run
    excludes = set(calls["Analysis"][0].kwargs["excludes"])
    assert "PySide6.QtNetwork" in excludes
    assert "PIL" not in excludes  # reportlab.lib.utils imports it unconditionally
    app_code = "\n".join(p.read_text(encoding="utf-8")
                         for folder in ("desktop", "db") for p in (ROOT / folder).rglob("*.py"))
    assert "QtNetwork" not in app_code


def test_spec_prunes_gtk_theme_and_every_eglfs_library(spec_run):
    _, namespace = spec_run
    toc = [("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x", "BINARY"),
           ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", "/x", "BINARY"),
           ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x", "BINARY"),
           ("PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6", "/x", "BINARY"),
           ("PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", "/x", "BINARY"),
           ("PySide6/Qt/lib/libQt6Gui.so.6", "/x", "BINARY")]
    kept = {Path(dest).name for dest, _, _ in namespace["prune_qt_plugins"](toc)}
    assert kept == {"libqxdgdesktopportal.so", "libqxcb.so", "libQt6Gui.so.6"}


def test_spec_drops_symlinks_whose_library_is_gone(spec_run):
    _, namespace = spec_run
    binaries = [("PySide6/Qt/lib/libQt6Gui.so.6", "/x", "BINARY")]
    datas = [("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
             ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
             ("resources/x.txt", "/x", "DATA")]
    assert namespace["drop_dangling_symlinks"](datas, binaries) == [datas[0], datas[2]]


def test_spec_keeps_only_the_stdnum_registries_a_collected_module_reads(spec_run, tmp_path):
    _, namespace = spec_run
    (tmp_path / "iban.py").write_text("_ibandb = numdb.get('iban')\n")
    (tmp_path / "nace.py").write_text("numdb.get(f'eu/nace{revision}').info(number)\n")
    (tmp_path / "brin.py").write_text("def validate(number): ...\n")
    pure = [("stdnum.iban", str(tmp_path / "iban.py"), "PYMODULE"),
            ("stdnum.eu.nace", str(tmp_path / "nace.py"), "PYMODULE"),
            ("stdnum.nl.brin", str(tmp_path / "brin.py"), "PYMODULE")]
    datas = [(f"stdnum/{name}.dat", "/x", "DATA")
             for name in ("iban", "oui", "eu/nace20", "eu/nace21", "be/banks")]
    datas.append(("resources/fonts/DejaVuSans.ttf", "/x", "DATA"))
    kept = [dest for dest, _, _ in namespace["prune_stdnum_data"](datas, pure)]
    assert kept == ["stdnum/iban.dat", "stdnum/eu/nace20.dat", "stdnum/eu/nace21.dat",
                    "resources/fonts/DejaVuSans.ttf"]


def test_spec_leaves_out_data_no_code_path_opens(spec_run):
    _, namespace = spec_run
    datas = [("reportlab/fonts/Vera.ttf", "/x", "DATA"),
             ("docx/templates/default-docx-template/word/styles.xml", "/x", "DATA"),
             ("docx/templates/default.docx", "/x", "DATA"),
             ("docx/templates/default-footer.xml", "/x", "DATA"),
             ("reportlab/lib/hyphen.mashed", "/x", "DATA")]
    kept = [dest for dest, _, _ in namespace["prune_data"](datas)]
    assert kept == ["docx/templates/default.docx", "docx/templates/default-footer.xml",
                    "reportlab/lib/hyphen.mashed"]
