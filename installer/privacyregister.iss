; Privacyregister - Inno Setup 6 script (per-user install, no administrator rights).
;
; Build (installer\build.ps1 does all of this):
;   pyinstaller installer\privacyregister.spec --noconfirm
;   ISCC.exe /DAppVersion=0.1.0 installer\privacyregister.iss
; Output: dist\installer\Privacyregister-<version>-setup.exe
;
; ---------------------------------------------------------------------------------------------
; USER DATA IS NEVER TOUCHED BY THIS SCRIPT.
; The program installs only under {app} (default %LOCALAPPDATA%\Programs\Privacyregister).
; The register itself (the encrypted database), its backups, settings and logs live in the
; user data directory chosen by the application, platformdirs.user_data_dir("Privacyregister",
; appauthor=False) = %LOCALAPPDATA%\Privacyregister, plus wherever the school keeps its backups,
; and the database key sits in the Windows Credential Manager. None of these is under {app}.
; Therefore:
;   - there is NO [UninstallDelete] section, and nothing may ever be added that names
;     {localappdata}\Privacyregister, {userappdata}, {userdocs} or any other path outside {app};
;   - the only [InstallDelete] entry clears {app}\_internal (old program files) before an upgrade;
;   - uninstalling removes the program files and shortcuts only; the register stays, so that a
;     reinstall or a newer version opens it again;
;   - an upgrade (same AppId) replaces the program files and keeps all data.
; tests/installer/test_installer_files.py checks these rules.
; ---------------------------------------------------------------------------------------------

; The version comes from db/__init__.py; build.ps1 passes /DAppVersion=... (and
; /DAppVersionNumeric=a.b.c.d for the version resource of the setup .exe).
#ifndef AppVersion
  #define AppVersion "0.0.0-dev"
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric "0.0.0.0"
#endif
; The PyInstaller one-folder build, relative to this script.
#ifndef DistDir
  #define DistDir "..\dist\Privacyregister"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist\installer"
#endif

#define AppName "Privacyregister"
#define AppExeName "Privacyregister.exe"
#define AppPublisher "Privacyregister"

[Setup]
; Fixed for the life of the product: Windows recognises upgrades and the uninstaller by it.
; NEVER change it (the double {{ is Inno Setup's escape for a literal brace).
AppId={{AAC0B7A3-73B7-457C-8263-64240DC7BA1B}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoDescription={#AppName} Setup
VersionInfoCompany={#AppPublisher}
VersionInfoProductName={#AppName}

; Per-user install: no UAC prompt, no administrator needed, nothing outside the user profile.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\Privacyregister
DisableProgramGroupPage=yes
DefaultGroupName={#AppName}
UsePreviousAppDir=yes

; 64-bit Python and Qt; PySide6 6.x needs Windows 10 or newer.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0

; Close a running Privacyregister before files are replaced (Windows Restart Manager); the
; user starts it again (and logs in) afterwards.
CloseApplications=yes
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=no

UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
SetupIconFile=..\resources\icons\privacyregister.ico
WizardStyle=modern
ShowLanguageDialog=auto

OutputDir={#OutputDir}
OutputBaseFilename=Privacyregister-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
dutch.AppComment=Privacyadministratie (AVG) voor de basisschool
english.AppComment=Privacy administration (GDPR) for the primary school
dutch.DataKept=Privacyregister is verwijderd.%n%nHet register zelf (de versleutelde database), de instellingen en de back-ups zijn NIET verwijderd. Ze staan nog in:%n%1%n%nDe sleutel van de database staat nog in Windows Referentiebeheer. Installeert u Privacyregister opnieuw, dan opent het het bestaande register weer.
english.DataKept=Privacyregister has been removed.%n%nThe register itself (the encrypted database), the settings and the backups have NOT been removed. They are still in:%n%1%n%nThe database key is still in the Windows Credential Manager. If you install Privacyregister again, it opens the existing register.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Program files of the previous version only (a one-folder build must not mix old and new
; libraries). Under {app}; never add anything outside {app} here.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; Everything goes under {app}: the two executables and their _internal folder.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; There is deliberately no [UninstallDelete] section: see the header of this file.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { Tell the user where the register still is. Read-only: nothing is deleted here. }
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\Privacyregister')]),
      mbInformation, MB_OK);
end;
