<#
.SYNOPSIS
    Build the Privacyregister Windows installer: venv, PyInstaller one-folder build, frozen
    self-tests, optional code signing, Inno Setup.

.DESCRIPTION
    Run from any directory on Windows (PowerShell 5.1 or 7):

        powershell -ExecutionPolicy Bypass -File installer\build.ps1

    Steps:
      1. create a virtual environment in build\venv and `pip install .[build]`
      2. pyinstaller installer\privacyregister.spec  -> dist\Privacyregister\
      3. run the frozen self-tests:
           dist\Privacyregister\privacyregister-cli.exe selftest
           dist\Privacyregister\Privacyregister.exe --selftest
      4. sign both executables when SIGN_CERT_PATH is set
      5. ISCC /DAppVersion=<version from db\__init__.py> installer\privacyregister.iss
                                                        -> dist\installer\
      6. sign the setup when SIGN_CERT_PATH is set

    Environment:
      SIGN_CERT_PATH       .pfx file; signing is skipped when unset
      SIGN_CERT_PASSWORD   its password (optional)
      SIGN_TIMESTAMP_URL   RFC 3161 timestamp server (default http://timestamp.digicert.com)
      ISCC                 full path of ISCC.exe when it is not in a standard place

.PARAMETER Python
    The Python (3.11-3.13, 64-bit) that creates the build venv. Default: python on PATH.

.PARAMETER Clean
    Delete build\ and dist\ first (the venv is recreated as well).

.PARAMETER SkipInstaller
    Stop after the frozen build and its self-tests (no Inno Setup needed).

.PARAMETER SelftestTimeout
    Seconds the GUI self-test may take before it counts as failed. Default 180.
#>
[CmdletBinding()]
param(
    [string]$Python = "python",
    [switch]$Clean,
    [switch]$SkipInstaller,
    [int]$SelftestTimeout = 180
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Checked {
    # Run a native command; stop the build when it exits non-zero.
    param([Parameter(Mandatory)][string]$Exe, [string[]]$Arguments = @())
    Write-Host ">> $Exe $($Arguments -join ' ')" -ForegroundColor Cyan
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Exe' failed with exit code $LASTEXITCODE"
    }
}

function Get-AppVersion {
    # Single source of the version: db\__init__.py (pyproject.toml reads it from there too).
    $text = Get-Content -Raw -Encoding UTF8 (Join-Path $Root "db\__init__.py")
    $m = [regex]::Match($text, '(?m)^__version__\s*=\s*["'']([^"'']+)["'']')
    if (-not $m.Success) { throw "No __version__ found in db\__init__.py" }
    return $m.Groups[1].Value
}

function Get-NumericVersion([string]$Version) {
    # "1.2.0rc1" -> "1.2.0.0": the numeric a.b.c.d form Windows version resources need.
    $m = [regex]::Match($Version, '^\d+(\.\d+)*')
    if (-not $m.Success) { throw "Version '$Version' does not start with a number" }
    $parts = @($m.Value.Split('.') | Select-Object -First 4)
    while ($parts.Count -lt 4) { $parts += "0" }
    return ($parts -join '.')
}

function Find-Iscc {
    if ($env:ISCC -and (Test-Path $env:ISCC)) { return $env:ISCC }
    $cmd = Get-Command "ISCC.exe" -ErrorAction SilentlyContinue
    if ($cmd) { return $cmd.Source }
    $candidates = @()
    foreach ($base in @(${env:ProgramFiles(x86)}, $env:ProgramFiles, (Join-Path $env:LOCALAPPDATA "Programs"))) {
        if ($base) {
            $candidates += (Join-Path $base "Inno Setup 6\ISCC.exe")
            $candidates += (Join-Path $base "Inno Setup 7\ISCC.exe")
        }
    }
    foreach ($c in $candidates) { if (Test-Path $c) { return $c } }
    throw "ISCC.exe (Inno Setup 6) not found. Install it (https://jrsoftware.org/isdl.php or 'choco install innosetup') or set `$env:ISCC."
}

function Find-SignTool {
    $cmd = Get-Command "signtool.exe" -ErrorAction SilentlyContinue
    if ($cmd) { return $cmd.Source }
    $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
    $found = Get-ChildItem -Path $kits -Filter signtool.exe -Recurse -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -match '\\x64\\' } |
        Sort-Object FullName -Descending | Select-Object -First 1
    if ($found) { return $found.FullName }
    throw "signtool.exe not found (install the Windows SDK signing tools)"
}

function Invoke-Sign([string[]]$Files) {
    if (-not $env:SIGN_CERT_PATH) { return }
    $signtool = Find-SignTool
    $timestamp = if ($env:SIGN_TIMESTAMP_URL) { $env:SIGN_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }
    $arguments = @("sign", "/fd", "SHA256", "/tr", $timestamp, "/td", "SHA256", "/f", $env:SIGN_CERT_PATH)
    if ($env:SIGN_CERT_PASSWORD) { $arguments += @("/p", $env:SIGN_CERT_PASSWORD) }
    Write-Host ">> signtool sign ... $($Files -join ' ')" -ForegroundColor Cyan  # never echo the password
    & $signtool @arguments @Files
    if ($LASTEXITCODE -ne 0) { throw "signtool failed with exit code $LASTEXITCODE" }
    & $signtool verify /pa /q @Files
    if ($LASTEXITCODE -ne 0) { throw "signtool verify failed with exit code $LASTEXITCODE" }
}

# --- 0. clean -----------------------------------------------------------------------------------
if ($Clean) {
    foreach ($dir in @("build", "dist")) {
        if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    }
}

$Version = Get-AppVersion
$NumericVersion = Get-NumericVersion $Version
Write-Host "Privacyregister $Version ($NumericVersion)" -ForegroundColor Green

# --- 1. venv --------------------------------------------------------------------------------------
$Venv = Join-Path $Root "build\venv"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $VenvPython)) {
    Invoke-Checked $Python @("-m", "venv", $Venv)
}
Invoke-Checked $VenvPython @("-c", "import struct, sys; assert sys.version_info[:2] in ((3, 11), (3, 12), (3, 13)), sys.version; assert struct.calcsize('P') == 8, '64-bit Python needed'")
Invoke-Checked $VenvPython @("-m", "pip", "install", "--upgrade", "pip")
Invoke-Checked $VenvPython @("-m", "pip", "install", ".[build]")

# --- 2. frozen build ------------------------------------------------------------------------------
Invoke-Checked $VenvPython @("-m", "PyInstaller", "installer\privacyregister.spec", "--noconfirm", "--clean")

$AppDir = Join-Path $Root "dist\Privacyregister"
$GuiExe = Join-Path $AppDir "Privacyregister.exe"
$CliExe = Join-Path $AppDir "privacyregister-cli.exe"
foreach ($exe in @($GuiExe, $CliExe)) {
    if (-not (Test-Path $exe)) { throw "PyInstaller did not produce $exe" }
}

# --- 3. frozen self-tests ---------------------------------------------------------------------------
# The console executable: its exit code arrives in $LASTEXITCODE.
Invoke-Checked $CliExe @("selftest")

# The windowed executable returns at once when started from a console, so wait for the
# process itself, with a time limit, and read its exit code.
$out = Join-Path $Root "build\selftest-gui.out.txt"
$err = Join-Path $Root "build\selftest-gui.err.txt"
Write-Host ">> $GuiExe --selftest" -ForegroundColor Cyan
$proc = Start-Process -FilePath $GuiExe -ArgumentList "--selftest" -PassThru -NoNewWindow `
    -RedirectStandardOutput $out -RedirectStandardError $err
$null = $proc.Handle  # keep the handle, or ExitCode stays empty (PowerShell quirk)
if (-not $proc.WaitForExit($SelftestTimeout * 1000)) {
    $proc.Kill()
    throw "GUI self-test did not finish within $SelftestTimeout s"
}
$proc.WaitForExit()
foreach ($f in @($out, $err)) { if (Test-Path $f) { Get-Content $f | Write-Host } }
if ($proc.ExitCode -ne 0) {
    throw "GUI self-test failed with exit code $($proc.ExitCode)"
}

# --- 4. sign the executables (optional) -------------------------------------------------------------
Invoke-Sign @($GuiExe, $CliExe)

if ($SkipInstaller) {
    Write-Host "Frozen build ready in $AppDir (installer skipped)" -ForegroundColor Green
    exit 0
}

# --- 5. installer -----------------------------------------------------------------------------------
$Iscc = Find-Iscc
Invoke-Checked $Iscc @("/Qp", "/DAppVersion=$Version", "/DAppVersionNumeric=$NumericVersion", "installer\privacyregister.iss")

$Setup = Join-Path $Root "dist\installer\Privacyregister-$Version-setup.exe"
if (-not (Test-Path $Setup)) { throw "Inno Setup did not produce $Setup" }

# --- 6. sign the setup (optional) -------------------------------------------------------------------
Invoke-Sign @($Setup)

$hash = (Get-FileHash -Algorithm SHA256 $Setup).Hash
Set-Content -Encoding ASCII -Path "$Setup.sha256" -Value "$hash  $(Split-Path -Leaf $Setup)"
Write-Host "Installer: $Setup" -ForegroundColor Green
Write-Host "SHA256:    $hash" -ForegroundColor Green
