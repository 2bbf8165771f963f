<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="nl_NL">
<context>
    <name>App</name>
    <message>
        <location filename="../../desktop/app.py" line="+70" />
        <location line="+39" />
        <location line="+67" />
        <source>Privacyregister</source>
        <translation>Privacyregister</translation>
    </message>
    <message>
        <location line="-93" />
        <source>De sleutel die op deze computer is bewaard, past niet bij dit register, of het bestand is beschadigd. Probeer de herstelsleutel; helpt dat niet, zet dan de laatste reservekopie terug.</source>
        <translation>The key stored on this computer does not fit this register, or the file is damaged. Try the recovery key; if that does not help, restore the latest backup.</translation>
    </message>
    <message>
        <location line="+6" />
        <location line="+4" />
        <source>Register niet geopend</source>
        <translation>Register not opened</translation>
    </message>
    <message>
        <location line="-1" />
        <source>Het registerbestand kon niet worden gelezen: {path}</source>
        <translation>The register file could not be read: {path}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Register bijgewerkt</source>
        <translation>Register updated</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Het register is bijgewerkt voor deze versie van Privacyregister. Vooraf is automatisch een reservekopie gemaakt.</source>
        <translation>The register has been updated for this version of Privacyregister. A backup was made automatically beforehand.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Het demonstratieregister wordt voorbereid…</source>
        <translation>Preparing the demonstration register…</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Demonstratieregister niet geopend</source>
        <translation>Demonstration register not opened</translation>
    </message>
    <message>
        <location line="+46" />
        <source>Bij het afsluiten kon geen reservekopie worden gemaakt. Het register zelf is in orde.</source>
        <translation>No backup could be made while closing. The register itself is fine.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Reservekopie mislukt</source>
        <translation>Backup failed</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Er ging iets onverwachts mis. Wat nog niet was opgeslagen, is teruggedraaid; de gegevens in het register zijn veilig. Sluit Privacyregister en start het opnieuw. Blijft dit gebeuren, neem dan contact op met uw ICT-partner.</source>
        <translation>Something unexpected went wrong. Anything not yet saved has been rolled back; the data in the register is safe. Close Privacyregister and start it again. If this keeps happening, contact your IT partner.</translation>
    </message>
</context>
<context>
    <name>Areas</name>
    <message>
        <location filename="../../desktop/overview/__init__.py" line="+19" />
        <source>Overzicht</source>
        <translation>Overview</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>&amp;School:</source>
        <translation>&amp;School:</translation>
    </message>
    <message>
        <source>School</source>
        <translation>School</translation>
    </message>
    <message>
        <location filename="../../desktop/login_dialog.py" line="+52" />
        <source>Aanmelden — Privacyregister</source>
        <translation>Log in — Privacyregister</translation>
    </message>
    <message>
        <location line="+5" />
        <location line="+53" />
        <source>Gebruikersnaam</source>
        <translation>User name</translation>
    </message>
    <message>
        <location line="-50" />
        <location line="+50" />
        <source>Wachtwoord</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="-41" />
        <source>Aanmelden</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Privacyregister van {school}</source>
        <translation>Privacy register of {school}</translation>
    </message>
    <message>
        <location line="+9" />
        <source>&amp;Gebruikersnaam:</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Wachtwoord:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location line="+10" />
        <source>&amp;Aanmelden</source>
        <translation>&amp;Log in</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Demo-gebruikers</source>
        <translation>Demo users</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Dit is een demonstratieregister met verzonnen gegevens. Klik op een gebruiker om de gegevens in te vullen; dubbelklik om meteen aan te melden.</source>
        <translation>This is a demonstration register with invented data. Click a user to fill in their details; double-click to log in straight away.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Rol</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+44" />
        <source>Vul uw gebruikersnaam in.</source>
        <translation>Enter your user name.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Vul uw wachtwoord in.</source>
        <translation>Enter your password.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Gebruikersnaam of wachtwoord klopt niet.</source>
        <translation>User name or password is incorrect.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/main_window.py" line="+109" />
        <source>Onderdelen</source>
        <translation>Sections</translation>
    </message>
    <message>
        <location line="+12" />
        <source>{title} (Ctrl+{n})</source>
        <translation>{title} (Ctrl+{n})</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Aangemeld als {name} ({role})</source>
        <translation>Logged in as {name} ({role})</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Met uw rol zijn er nog geen onderdelen van het register beschikbaar.</source>
        <translation>No sections of the register are available for your role yet.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Privacyregister — {school}</source>
        <translation>Privacyregister — {school}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Privacyregister</source>
        <translation>Privacyregister</translation>
    </message>
    <message>
        <location line="+1" />
        <source> (demo)</source>
        <translation> (demo)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Bestand</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Reservekopie maken</source>
        <translation>Make a &amp;backup</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Maak nu een versleutelde kopie van het register in de map voor reservekopieën.</source>
        <translation>Make an encrypted copy of the register in the backup folder now.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Afmelden</source>
        <translation>&amp;Log out</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Meld u af; een collega kan zich aanmelden.</source>
        <translation>Log out so that a colleague can log in.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Af&amp;sluiten</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Sluit Privacyregister; er wordt automatisch een reservekopie gemaakt.</source>
        <translation>Close Privacyregister; a backup is made automatically.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Over Privacyregister</source>
        <translation>&amp;About Privacyregister</translation>
    </message>
    <message>
        <location line="+53" />
        <source>De reservekopie kon niet worden geschreven. Controleer of de schijf vol is.</source>
        <translation>The backup could not be written. Check whether the disk is full.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reservekopie mislukt</source>
        <translation>Backup failed</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Reservekopie gemaakt: {path}</source>
        <translation>Backup made: {path}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Reservekopie gemaakt</source>
        <translation>Backup made</translation>
    </message>
    <message>
        <location line="+1" />
        <source>De reservekopie is gemaakt.</source>
        <translation>The backup has been made.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Bestand: {name}
Map: {folder}

De kopie is versleuteld met dezelfde sleutel als het register. Bewaar ook regelmatig een kopie buiten deze computer, bijvoorbeeld op een versleutelde USB-stick in de kluis.</source>
        <translation>File: {name}
Folder: {folder}

The copy is encrypted with the same key as the register. Also keep a copy away from this computer regularly, for example on an encrypted USB stick in the safe.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Map openen</source>
        <translation>Open &amp;folder</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Over Privacyregister</source>
        <translation>About Privacyregister</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&lt;h3&gt;Privacyregister {version}&lt;/h3&gt;&lt;p&gt;De privacyadministratie (AVG) van de school: leerlingen en hun ouders, toestemmingen, leveranciers, verzoeken en datalekken.&lt;/p&gt;{where}&lt;p&gt;Register: {path}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Privacyregister {version}&lt;/h3&gt;&lt;p&gt;The school's privacy administration (GDPR): pupils and their parents, consents, suppliers, requests and data breaches.&lt;/p&gt;{where}&lt;p&gt;Register: {path}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>B&amp;eheer</source>
        <translation>Ad&amp;ministration</translation>
    </message>
    <message>
        <source>&amp;Overzetten naar server…</source>
        <translation>&amp;Move to server…</translation>
    </message>
    <message>
        <source>Zet het register van deze computer over naar de databaseserver van het bestuur.</source>
        <translation>Move the register of this computer to the board's database server.</translation>
    </message>
    <message>
        <source>Reservekopieën op de server</source>
        <translation>Backups on the server</translation>
    </message>
    <message>
        <source>Dit register staat op de databaseserver van het bestuur. Reservekopieën daarvan maakt de server, niet dit programma.</source>
        <translation>This register is on the board's database server. Its backups are made by the server, not by this program.</translation>
    </message>
    <message>
        <source>Server: {host}, database: {database}

Uw ICT-partner maakt de reservekopieën met pg_dump of met de back-upvoorziening van de server, bijvoorbeeld elke nacht met:
{command}

Vraag uw ICT-partner of die reservekopieën worden gemaakt, buiten het gebouw worden bewaard en af en toe worden teruggezet om ze te testen. Er is niets gekopieerd.</source>
        <translation>Server: {host}, database: {database}

Your IT partner makes the backups with pg_dump or with the server's backup facility, for example every night with:
{command}

Ask your IT partner whether these backups are made, kept outside the building and restored now and then to test them. Nothing was copied.</translation>
    </message>
    <message>
        <source>&lt;p&gt;Alle gegevens staan versleuteld op deze computer. Bij het afsluiten wordt automatisch een reservekopie gemaakt.&lt;/p&gt;</source>
        <translation>&lt;p&gt;All data is stored encrypted on this computer. A backup is made automatically when you close the program.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Het register staat op de databaseserver van het bestuur; de verbinding is versleuteld. Reservekopieën maakt de server.&lt;/p&gt;</source>
        <translation>&lt;p&gt;The register is on the board's database server; the connection is encrypted. The server makes the backups.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../../desktop/overview/view.py" line="+101" />
        <source>Overzicht</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{school} · BRIN {brin}</source>
        <translation>{school} · BRIN {brin}</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Aandacht nodig</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <location line="+12" />
        <source>In het register</source>
        <translation>In the register</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Leerlingen</source>
        <translation>Pupils</translation>
    </message>
    <message>
        <location line="+0" />
        <source>nu ingeschreven</source>
        <translation>currently enrolled</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Ouders en verzorgers</source>
        <translation>Parents and guardians</translation>
    </message>
    <message>
        <location line="+0" />
        <source>in het register</source>
        <translation>in the register</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Toestemmingsdoelen</source>
        <translation>Consent purposes</translation>
    </message>
    <message>
        <location line="+1" />
        <source>waarvoor ouders toestemming geven</source>
        <translation>that parents give consent for</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open datalekken</source>
        <translation>Open data breaches</translation>
    </message>
    <message>
        <location line="+0" />
        <source>nog niet afgerond</source>
        <translation>not yet closed</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open verzoeken</source>
        <translation>Open requests</translation>
    </message>
    <message>
        <location line="+0" />
        <source>nog niet beantwoord</source>
        <translation>not yet answered</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Leveranciers</source>
        <translation>Suppliers</translation>
    </message>
    <message>
        <location line="+0" />
        <source>die leerlinggegevens krijgen</source>
        <translation>that receive pupil data</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Met uw rol kunt u de aantallen in het register niet inzien.</source>
        <translation>Your role does not allow you to see the figures of the register.</translation>
    </message>
    <message>
        <location line="+55" />
        <source>Er is op dit moment niets dat aandacht nodig heeft.</source>
        <translation>Nothing needs attention at the moment.</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Openen</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Laatste reservekopie: {when}</source>
        <translation>Latest backup: {when}</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Er is 1 datalek dat nog niet is afgerond.</source>
        <translation>There is 1 data breach that has not been closed yet.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Er zijn {n} datalekken die nog niet zijn afgerond.</source>
        <translation>There are {n} data breaches that have not been closed yet.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Er staat 1 verzoek open dat nog niet is beantwoord.</source>
        <translation>There is 1 open request that has not been answered yet.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Er staan {n} verzoeken open die nog niet zijn beantwoord.</source>
        <translation>There are {n} open requests that have not been answered yet.</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Er is nog geen reservekopie gemaakt. Maak er nu een, zodat de gegevens niet verloren gaan als deze computer kapotgaat.</source>
        <translation>No backup has been made yet. Make one now, so that the data is not lost if this computer breaks down.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Reservekopie &amp;maken</source>
        <translation>Make a &amp;backup</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../desktop/i18n.py" line="+73" />
        <source>Beheerder</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Administratie</source>
        <translation>Office</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Directie</source>
        <translation>Management</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Leerkracht</source>
        <translation>Teacher</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Functionaris gegevensbescherming</source>
        <translation>Data protection officer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Bestuur</source>
        <translation>School board</translation>
    </message>
</context>
<context>
    <name>ServerFields</name>
    <message>
        <source>bijvoorbeeld db.bestuur.nl</source>
        <translation>for example db.board.nl</translation>
    </message>
    <message>
        <source>bijvoorbeeld privacyregister</source>
        <translation>for example privacyregister</translation>
    </message>
    <message>
        <source>de databasegebruiker van de school</source>
        <translation>the school's database user</translation>
    </message>
    <message>
        <source>het bestand van uw ICT-partner (.crt of .pem)</source>
        <translation>the file from your IT partner (.crt or .pem)</translation>
    </message>
    <message>
        <source>Bl&amp;aderen…</source>
        <translation>Bro&amp;wse…</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>&amp;Poort:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Database:</translation>
    </message>
    <message>
        <source>&amp;Gebruiker:</source>
        <translation>&amp;User:</translation>
    </message>
    <message>
        <source>&amp;CA-certificaat:</source>
        <translation>&amp;CA certificate:</translation>
    </message>
    <message>
        <source>&amp;Wachtwoord:</source>
        <translation>Pass&amp;word:</translation>
    </message>
    <message>
        <source>CA-certificaat van het bestuur kiezen</source>
        <translation>Choose the board's CA certificate</translation>
    </message>
    <message>
        <source>Certificaten (*.crt *.pem *.cer);;Alle bestanden (*)</source>
        <translation>Certificates (*.crt *.pem *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>Vul de naam of het adres van de server in.</source>
        <translation>Enter the name or address of the server.</translation>
    </message>
    <message>
        <source>Vul het wachtwoord van de databasegebruiker in.</source>
        <translation>Enter the database user's password.</translation>
    </message>
    <message>
        <source>Een poort is een getal, meestal 5432.</source>
        <translation>A port is a number, usually 5432.</translation>
    </message>
    <message>
        <source>Vul de naam van de database in.</source>
        <translation>Enter the name of the database.</translation>
    </message>
    <message>
        <source>Vul de databasegebruiker in.</source>
        <translation>Enter the database user.</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <location filename="../../desktop/setup_dialog.py" line="+70" />
        <source>Privacyregister inrichten</source>
        <translation>Set up Privacyregister</translation>
    </message>
    <message>
        <location line="+4" />
        <source>bijvoorbeeld OBS De Klimop</source>
        <translation>for example OBS De Klimop</translation>
    </message>
    <message>
        <location line="+2" />
        <source>bijvoorbeeld 12AB</source>
        <translation>for example 12AB</translation>
    </message>
    <message>
        <location line="+4" />
        <source>bijvoorbeeld Marieke de Vries</source>
        <translation>for example Marieke de Vries</translation>
    </message>
    <message>
        <location line="+2" />
        <source>één woord, bijvoorbeeld marieke</source>
        <translation>one word, for example marieke</translation>
    </message>
    <message>
        <location line="+10" />
        <source>B&amp;laderen…</source>
        <translation>B&amp;rowse…</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Welkom bij Privacyregister</source>
        <translation>Welcome to Privacyregister</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Er is op deze computer nog geen privacyregister. Kies waar het register komt. Op deze computer: vul de gegevens van de school en van de eerste gebruiker in; deze gebruiker wordt beheerder en kan later collega's toevoegen.</source>
        <translation>There is no privacy register on this computer yet. Choose where the register will be. On this computer: fill in the details of the school and of the first user; this user becomes the administrator and can add colleagues later.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>School</source>
        <translation>School</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Naam van de school:</source>
        <translation>&amp;Name of the school:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;BRIN-nummer:</source>
        <translation>&amp;BRIN number:</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Eerste gebruiker (beheerder)</source>
        <translation>First user (administrator)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Uw naam:</source>
        <translation>&amp;Your name:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Gebruikersnaam:</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Wachtwoord:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Wachtwoord &amp;herhalen:</source>
        <translation>Repeat pass&amp;word:</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Wachtwoordzin van het register</source>
        <translation>Passphrase of the register</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Deze computer heeft geen beveiligde sleutelopslag (zoals Windows Referentiebeheer). Het register wordt daarom beveiligd met een wachtwoordzin van minstens {n} tekens, bijvoorbeeld een korte zin. Wie het register opent, voert deze wachtwoordzin in. Schrijf hem op en bewaar het papier in de kluis van de school: zonder wachtwoordzin kan niemand de gegevens nog lezen.</source>
        <translation>This computer has no secure key storage (such as Windows Credential Manager). The register is therefore protected with a passphrase of at least {n} characters, for example a short sentence. Whoever opens the register enters this passphrase. Write it down and keep the paper in the school safe: without the passphrase nobody can read the data any more.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Wachtwoord&amp;zin:</source>
        <translation>Passphr&amp;ase:</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Wachtwoordzin he&amp;rhalen:</source>
        <translation>Repeat passp&amp;hrase:</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Herstelsleutel</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <location line="+2" />
        <source>De gegevens worden versleuteld opgeslagen. De sleutel bewaart Windows voor u. Daarnaast maakt Privacyregister een herstelsleutel als PDF-bestand: druk dat af en bewaar het in de kluis. Met de herstelsleutel opent u het register na een herinstallatie van Windows of op een andere computer.</source>
        <translation>The data is stored encrypted. Windows keeps the key for you. In addition, Privacyregister makes a recovery key as a PDF file: print it and keep it in the safe. With the recovery key you can open the register after reinstalling Windows or on another computer.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>&amp;Opslaan als:</source>
        <translation>&amp;Save as:</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Het register wordt opgeslagen in {path}.</source>
        <translation>The register will be saved in {path}.</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Register &amp;aanmaken</source>
        <translation>&amp;Create register</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+47" />
        <source>Herstelsleutel opslaan als</source>
        <translation>Save recovery key as</translation>
    </message>
    <message>
        <location line="+1" />
        <source>PDF-bestanden (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Vul de naam van de school in.</source>
        <translation>Enter the name of the school.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Vul het BRIN-nummer van de school in, bijvoorbeeld 12AB.</source>
        <translation>Enter the school's BRIN number, for example 12AB.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Een BRIN-nummer heeft twee cijfers en twee letters, bijvoorbeeld 12AB (eventueel met een vestigingsnummer: 12AB01).</source>
        <translation>A BRIN number has two digits and two letters, for example 12AB (optionally with a branch number: 12AB01).</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Vul uw naam in.</source>
        <translation>Enter your name.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Kies een gebruikersnaam.</source>
        <translation>Choose a user name.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Een gebruikersnaam is één woord zonder spaties (hoogstens 64 tekens).</source>
        <translation>A user name is one word without spaces (at most 64 characters).</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Een wachtwoord heeft minstens 8 tekens.</source>
        <translation>A password has at least 8 characters.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>De twee wachtwoorden zijn niet gelijk. Typ het wachtwoord nog eens.</source>
        <translation>The two passwords are not the same. Type the password again.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Een wachtwoordzin heeft minstens {n} tekens.</source>
        <translation>A passphrase has at least {n} characters.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>De twee wachtwoordzinnen zijn niet gelijk. Typ de wachtwoordzin nog eens.</source>
        <translation>The two passphrases are not the same. Type the passphrase again.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Kies waar het PDF-bestand met de herstelsleutel komt.</source>
        <translation>Choose where the PDF file with the recovery key goes.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Er staat al een bestand met deze naam. Kies een andere naam, zodat een eerdere herstelsleutel niet verloren gaat.</source>
        <translation>A file with this name already exists. Choose another name, so that an earlier recovery key is not lost.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Deze map bestaat niet. Kies een andere map.</source>
        <translation>This folder does not exist. Choose another folder.</translation>
    </message>
    <message>
        <location line="+55" />
        <source>Het PDF-bestand kon hier niet worden opgeslagen. Kies een andere map.</source>
        <translation>The PDF file could not be saved here. Choose another folder.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>De herstelsleutel kon niet worden opgeslagen in {pdf}. Er is geen register aangemaakt.</source>
        <translation>The recovery key could not be saved in {pdf}. No register has been created.</translation>
    </message>
    <message>
        <location line="+17" />
        <location line="+4" />
        <location line="+4" />
        <source>Register niet aangemaakt</source>
        <translation>Register not created</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Het register kon niet worden opgeslagen in {path}. Er is niets aangemaakt. Controleer of de schijf vol is of beveiligd tegen schrijven.</source>
        <translation>The register could not be saved in {path}. Nothing has been created. Check whether the disk is full or write-protected.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Register aangemaakt</source>
        <translation>Register created</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Het register is aangemaakt. Druk nu de herstelsleutel af.</source>
        <translation>The register has been created. Print the recovery key now.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>De herstelsleutel staat in het PDF-bestand:
{pdf}

Druk het af, leg het papier in de kluis van de school en verwijder daarna het bestand van deze computer. Met de herstelsleutel opent u het register als de sleutel op deze computer verloren gaat.</source>
        <translation>The recovery key is in the PDF file:
{pdf}

Print it, put the paper in the school safe and then delete the file from this computer. With the recovery key you can open the register if the key on this computer is lost.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>PDF &amp;openen</source>
        <translation>&amp;Open PDF</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Het register is aangemaakt.</source>
        <translation>The register has been created.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Heeft u de wachtwoordzin opgeschreven en in de kluis gelegd? Zonder wachtwoordzin kan niemand de gegevens nog lezen.</source>
        <translation>Have you written down the passphrase and put it in the safe? Without the passphrase nobody can read the data any more.</translation>
    </message>
    <message>
        <source>Waar staat het register?</source>
        <translation>Where is the register?</translation>
    </message>
    <message>
        <source>Op deze &amp;computer (versleuteld bestand)</source>
        <translation>On this &amp;computer (encrypted file)</translation>
    </message>
    <message>
        <source>Op de ser&amp;ver van het bestuur (PostgreSQL)</source>
        <translation>On the board's ser&amp;ver (PostgreSQL)</translation>
    </message>
    <message>
        <source>Databaseserver van het bestuur</source>
        <translation>The board's database server</translation>
    </message>
    <message>
        <source>Uw ICT-partner of het bestuur heeft het register op de server al aangemaakt en geeft u de gegevens hieronder, met het CA-certificaat van het bestuur. De verbinding is altijd versleuteld en het certificaat van de server wordt gecontroleerd. Het wachtwoord wordt bewaard in de beveiligde sleutelopslag van deze computer.</source>
        <translation>Your IT partner or the board has already created the register on the server and gives you the details below, with the board's CA certificate. The connection is always encrypted and the server's certificate is checked. The password is kept in this computer's secure credential store.</translation>
    </message>
    <message>
        <source>&amp;Verbinden</source>
        <translation>&amp;Connect</translation>
    </message>
    <message>
        <source>Geen verbinding met het register</source>
        <translation>No connection to the register</translation>
    </message>
    <message>
        <source>Verbonden met de server</source>
        <translation>Connected to the server</translation>
    </message>
    <message>
        <source>Het register op de server is geopend.</source>
        <translation>The register on the server is open.</translation>
    </message>
    <message>
        <source>Meld u hierna aan met de gebruikersnaam en het wachtwoord die u van de beheerder van het register hebt gekregen. Bij de volgende start opent Privacyregister meteen dit register op de server. Reservekopieën maakt de server.</source>
        <translation>Next, log in with the user name and password you received from the register's administrator. From the next start on, Privacyregister opens this register on the server straight away. The server makes the backups.</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../desktop/unlock_dialog.py" line="+55" />
        <source>Wachtwoordzin invoeren — Privacyregister</source>
        <translation>Enter passphrase — Privacyregister</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Wachtwoordzin invoeren</source>
        <translation>Enter passphrase</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Dit register is beveiligd met een wachtwoordzin. Voer de wachtwoordzin in die bij het inrichten is gekozen.</source>
        <translation>This register is protected with a passphrase. Enter the passphrase that was chosen when it was set up.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Wachtwoordzin:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Herstelsleutel invoeren — Privacyregister</source>
        <translation>Enter recovery key — Privacyregister</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Herstelsleutel invoeren</source>
        <translation>Enter recovery key</translation>
    </message>
    <message>
        <location line="+2" />
        <source>De sleutel van dit register staat niet op deze computer, bijvoorbeeld na een herinstallatie van Windows of op een andere werkplek. Pak het papier met de herstelsleutel uit de kluis en typ de sleutel hieronder over. Hoofd- en kleine letters, spaties en streepjes maken niet uit.</source>
        <translation>The key of this register is not on this computer, for example after reinstalling Windows or on another workstation. Take the paper with the recovery key from the safe and type the key below. Upper and lower case, spaces and dashes do not matter.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Herstelsleutel:</source>
        <translation>&amp;Recovery key:</translation>
    </message>
    <message>
        <location line="+28" />
        <source>Register: {path}</source>
        <translation>Register: {path}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Openen</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Vul de wachtwoordzin in.</source>
        <translation>Enter the passphrase.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Vul de herstelsleutel in.</source>
        <translation>Enter the recovery key.</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Met deze wachtwoordzin gaat het register niet open. Controleer de wachtwoordzin (let op hoofdletters).</source>
        <translation>This passphrase does not open the register. Check the passphrase (mind capital letters).</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Met deze herstelsleutel gaat het register niet open. Is het de sleutel van dit register? Anders is het bestand mogelijk beschadigd: zet dan de laatste reservekopie terug.</source>
        <translation>This recovery key does not open the register. Is it the key of this register? Otherwise the file may be damaged: then restore the latest backup.</translation>
    </message>
</context>
</TS>
