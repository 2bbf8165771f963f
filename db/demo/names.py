"""Name material for the demo school: invented combinations of common first names and
surnames."""

from __future__ import annotations

from typing import NamedTuple

from db.schema import Channel


class _Origin(NamedTuple):
    weight: int
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    fathers: tuple[str, ...]
    mothers: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]  # (voorvoegsel, achternaam)


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _surnames(text: str) -> tuple[tuple[str, str], ...]:
    """'van den|Berg, Jansen' -> (('van den', 'Berg'), ('', 'Jansen'))."""
    pairs = []
    for item in _names(text):
        prefix, _, name = item.rpartition("|")
        pairs.append((prefix, name))
    return tuple(pairs)


_ORIGINS: tuple[_Origin, ...] = (
    _Origin(
        68,
        _names("Daan, Sem, Bram, Mees, Luuk, Finn, Jesse, Noah, Lucas, Milan, Levi, Thomas, Tim,"
               " Ruben, Thijs, Siem, Gijs, Jurre, Tygo, Mats, Stijn, Olivier, Jayden, Dex, Boaz,"
               " Sven, Guus, Teun, Pepijn, Joep, Hugo, Otis, Vince, Jens, Noël, Julian, Liam,"
               " Max, Lars, Daniël, Ties, Morris, Adam, Sam"),
        _names("Emma, Julia, Mila, Tess, Sophie, Zoë, Sara, Nora, Yara, Noor, Eva, Anna, Lotte,"
               " Fleur, Lieke, Sanne, Daniëlle, Chloë, Anaïs, Loïs, Maud, Evi, Liv, Saar, Fenna,"
               " Esmée, Femke, Benthe, Lynn, Roos, Isa, Jasmijn, Floor, Madelief, Nina, Amélie,"
               " Olivia, Milou, Romée, Naomi, Hannah, Elin"),
        _names("Mark, Jeroen, Martijn, Dennis, Bas, Erik, Rob, Sander, Niels, Joost, Patrick,"
               " Vincent, Wouter, Arjen, Michiel, Tom, Koen, Remco, Bart, Roel, Stefan, Jasper,"
               " Ruud, Maarten"),
        _names("Linda, Sandra, Marieke, Esther, Anouk, Kim, Laura, Iris, Marloes, Femke, Sanne,"
               " Eline, Judith, Mirjam, Wendy, Petra, Saskia, Joyce, Chantal, Ilse, Lisanne,"
               " Manon, Renske, Inge"),
        _surnames("Jansen, de|Vries, van den|Berg, van|Dijk, Bakker, Janssen, Visser, Smit,"
                  " Meijer, de|Boer, Mulder, de|Groot, Bos, Vos, Peters, Hendriks, van|Leeuwen,"
                  " Dekker, Brouwer, de|Wit, Dijkman, Kramer, van der|Linden, Kok, Jacobs,"
                  " de|Haan, Vermeulen, van den|Broek, de|Bruijn, de|Graaf, van der|Heijden,"
                  " Schouten, van|Beek, Willems, van|Vliet, van de|Ven, Maas, Verhoeven, Koster,"
                  " van|Dam, van der|Wal, Prins, Blom, Huisman, de|Lange, Kuipers, van|Wijk,"
                  " Post, ter|Horst, 't|Hart, in 't|Veld, van 't|Zand, ten|Brink, Verbeek,"
                  " Smits, Timmermans, van der|Meer, de|Jong"),
    ),
    _Origin(
        5,
        _names("Hidde, Sjoerd, Wytse, Jelle, Douwe, Tjeerd, Sietse, Jorrit, Jelmer, Bauke,"
               " Fedde, Wessel"),
        _names("Jildou, Sietske, Tjitske, Wietske, Aukje, Sytske, Froukje, Jetske, Minke,"
               " Femke, Tessa, Ymke"),
        _names("Sjoerd, Jelmer, Pieter, Wiebe, Gerrit, Tjalling, Jan, Klaas, Durk, Hylke"),
        _names("Sietske, Anke, Wietske, Griet, Hinke, Tjitske, Marrit, Baukje, Janneke"),
        _surnames("Postma, Hoekstra, Dijkstra, Veenstra, Bosma, Terpstra, Wiersma, Zijlstra,"
                  " van der|Meulen, Jongsma, Sikkema, Kingma, de|Vries, Hofstra"),
    ),
    _Origin(
        10,
        _names("Mohammed, Ayoub, Adam, Ismaël, Rayan, Ilias, Bilal, Hamza, Amin, Yassin, Anas,"
               " Soufiane, Zakaria, Ibrahim, Youssef"),
        _names("Fatima, Aya, Imane, Salma, Nour, Amira, Hiba, Malak, Yasmina, Sara, Nora, Noor,"
               " Inaya, Lina, Maryam"),
        _names("Mohamed, Said, Karim, Rachid, Youssef, Mustapha, Abdelkader, Hassan, Khalid,"
               " Nordin"),
        _names("Samira, Khadija, Naima, Fatima, Malika, Hanan, Loubna, Siham, Nadia, Karima"),
        _surnames("El Amrani, Benali, Bouzid, El Idrissi, Ouali, Aït Taleb, Amrani, Bakkali,"
                  " El Haddaoui, Azzouzi, Tahiri, El Khattabi, Boukhari, Ziani"),
    ),
    _Origin(
        9,
        _names("Yusuf, Emir, Mert, Kerem, Eymen, Ömer, Ali, Mustafa, Efe, Kaan, Berat, Yiğit"),
        _names("Elif, Zeynep, Ecem, Defne, Meryem, Azra, Ela, Eylül, Büşra, Duru, Nehir, Asya"),
        _names("Mehmet, Mustafa, Ahmet, Hasan, Hüseyin, Murat, Emre, Serkan, Osman, Cem"),
        _names("Ayşe, Fatma, Hatice, Büşra, Esra, Merve, Emine, Gülşen, Sevda, Derya"),
        _surnames("Yılmaz, Demir, Çelik, Doğan, Aydın, Öztürk, Kaya, Şahin, Arslan, Koç,"
                  " Kılıç, Yıldız"),
    ),
    _Origin(
        8,
        _names("Kacper, Jakub, Dawid, Oliwer, Arjun, Dev, Rishi, Yonas, Omar, Karim, Minh,"
               " Gabriel, Mateo"),
        _names("Zuzanna, Maja, Lena, Priya, Anjali, Selam, Rania, Leila, Mai, Jade, Gabriela,"
               " Mariana"),
        _names("Piotr, Tomasz, Rajesh, Ravi, Dawit, Samer, Tuan, João, Ahmed, Carlos"),
        _names("Agnieszka, Katarzyna, Sunita, Rekha, Helen, Mariam, Linh, Ana, Rana, Sofia"),
        _surnames("Nowak, Kowalczyk, Sardjoe, Ramdin, Doelwijt, Tesfay, Haddad, Al-Masri,"
                  " Nguyen, Tran, Santos, Pereira, Mohamud"),
    ),
)

# roepnaam -> official first name (voornaam) where they usually differ
_FORMAL = {
    "Bram": "Abraham", "Daan": "Daniël", "Thijs": "Matthijs", "Guus": "Gustaaf",
    "Joep": "Johannes", "Teun": "Antonius", "Mees": "Bartholomeus", "Siem": "Simon",
    "Luuk": "Lucas", "Gijs": "Gijsbert", "Jurre": "Jurriaan", "Lotte": "Charlotte",
    "Maud": "Mathilde", "Sanne": "Susanna", "Saar": "Sarah", "Isa": "Isabella",
    "Roos": "Rosalie", "Floor": "Florentine", "Max": "Maximiliaan", "Sam": "Samuel",
}
_MIDDLE_BOYS = _names("Johannes, Pieter, Jan, Willem, Hendrik, Cornelis, Jacobus, Antonius,"
                      " Gerardus, Maria")
_MIDDLE_GIRLS = _names("Maria, Johanna, Elisabeth, Catharina, Anna, Wilhelmina, Cornelia,"
                       " Sophia, Hendrika")

_MEDICAL = (
    "Dyslexieverklaring aanwezig; extra tijd bij toetsen en voorleessoftware.",
    "Dyscalculie (onderzoek afgerond); gebruikt een rekenkaart.",
    "ADHD; medicatie wordt thuis gegeven. Vaste plek in de klas, korte instructies.",
    "Notenallergie (ernstig). EpiPen in de klas en bij de administratie.",
    "Koemelkallergie; traktaties via ouders afstemmen.",
    "Diabetes type 1; insulinepomp, mag altijd eten en drinken in de klas.",
    "Epilepsie; noodmedicatie en protocol in de map van de groep.",
    "Astma; puffer mee bij gym en schoolreis.",
    "Autismespectrumstoornis (ASS); prikkelarme werkplek, vooraf aankondigen van wijzigingen.",
    "Slechthorend; draagt een hoortoestel, solo-apparatuur in de klas.",
)
_RELIGION = (
    "Geloofsovertuiging: islamitisch (vrijwillig opgegeven bij inschrijving).",
    "Geloofsovertuiging: rooms-katholiek (vrijwillig opgegeven bij inschrijving).",
    "Geloofsovertuiging: protestants-christelijk (vrijwillig opgegeven bij inschrijving).",
)

# chance that a family that was asked gives consent, per purpose code (others: 0.8)
_CONSENT_RATE = {
    "foto_website": 0.78, "foto_nieuwsbrief_schoolgids": 0.86, "foto_sociale_media": 0.62,
    "foto_ouderapp": 0.93, "schoolfotograaf": 0.95, "voornaam_bij_foto": 0.72,
    "klassenlijst_contact": 0.83, "uitwisseling_ggd_jgz": 0.88,
}
_CHANNELS = ((Channel.PAPER, 45), (Channel.PARRO, 33), (Channel.EMAIL, 12),
             (Channel.IN_PERSON, 6), (Channel.SOCIAL_SCHOOLS, 4))
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
