"""Schoolgids: the privacy paragraph for the school guide, drawn from the register (db.schoolgids).

The sections on the left, the whole paragraph as it would be printed today on the right; what
is still missing (a contact setting, an empty list) and which suppliers were left out (expired
or missing agreement) stand above it, with where to fill it in. Reading needs READ_REGISTER;
the school's own wording and the contact settings need SETTINGS. Word and PDF go through
kit.tasks.export.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from db.clock import local_today
from db.permissions import Permission
from db.school import CONTACT_LABELS
from db.schoolgids import EMPTY_LISTS, MISSING_MARK, GuideSection, SchoolGuide, schoolgids
from db.text import format_dutch_date
from desktop.admin.school_contact import (
    SchoolContactDialog,
    contact_button_text,
    where_to_fill_in,
)
from desktop.kit.page import Action, RegisterPage, register_page
from desktop.kit.table import Column, RowsTable
from desktop.kit.tasks import Task, export
from desktop.schoolgids.dialog import SectionDialog

MISSING_COLOUR = "#a61b1b"
NOTICE_STYLE = ("QLabel#notice { background: #fff1c7; color: #3d2d00; border: 1px solid #e0c36a;"
                " border-radius: 6px; padding: 10px 12px; }")


def _tr(text: str) -> str:
    return QCoreApplication.translate("schoolgids", text)


def _marked(text: str) -> str:
    """The text as HTML, with each '[nog in te vullen: …]' in bold red."""
    out, at = [], 0
    for match in MISSING_MARK.finditer(text):
        out.append(html.escape(text[at:match.start()]))
        out.append(f'<b style="color:{MISSING_COLOUR}">{html.escape(match.group(0))}</b>')
        at = match.end()
    out.append(html.escape(text[at:]))
    return "".join(out)


def guide_html(guide: SchoolGuide) -> str:
    """The paragraph as it would be printed, one anchor per section (its key)."""
    parts = [f"<h2>{html.escape(guide.title)}</h2>"]
    for section in guide.sections:
        parts.append(f'<a name="{section.key}"></a><h3>{html.escape(section.title)}</h3>')
        for block in section.blocks:
            if block.items:
                parts.append("<ul>" + "".join(f"<li>{_marked(item)}</li>" for item in block.items)
                             + "</ul>")
            else:
                parts.append(f"<p>{_marked(block.text)}</p>")
    return "".join(parts)


class SchoolgidsPage(RegisterPage):
    KEY, TITLE = "schoolgids", QT_TRANSLATE_NOOP("Areas", "Schoolgids")
    PERMISSION = Permission.READ_REGISTER
    TR_CONTEXT = "schoolgids"
    HINT = QT_TRANSLATE_NOOP("schoolgids", "De privacytekst voor de schoolgids, ingevuld uit het "
                             "register van vandaag: leveranciers, toestemmingsdoelen, "
                             "bewaartermijnen en contactgegevens. Rood: dat moet nog worden "
                             "ingevuld.")
    LOCKED_TEXT = QT_TRANSLATE_NOOP("schoolgids", "U mag de schoolgidstekst niet inzien met uw "
                                    "rol. Vraag de beheerder of de directie als u dit voor uw "
                                    "werk nodig hebt.")

    def build(self) -> QWidget:
        self.guide: SchoolGuide | None = None
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.RichText)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.table = RowsTable([
            Column(_tr("Onderdeel"), lambda s: s.title, 240),
            Column(_tr("Tekst"), lambda s: _tr("eigen tekst") if s.edited
                   else _tr("standaard")),
        ], key=lambda s: s.key, name=_tr("Onderdelen van de schoolgidstekst"))
        self.table.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview = QTextBrowser()
        self.preview.setAccessibleName(_tr("Voorbeeld van de tekst"))
        self.preview.setOpenLinks(False)
        self.preview.document().setDocumentMargin(14)
        self.preview.document().setDefaultStyleSheet(
            "h2 { margin-bottom: 6px; } h3 { margin-top: 14px; margin-bottom: 4px; } "
            "p { margin-bottom: 8px; } li { margin-bottom: 2px; }")
        self.table.selected.connect(self._on_selection)
        self.table.view.doubleClicked.connect(lambda _index: self.edit_section())
        self.table.view.activated.connect(lambda _index: self.edit_section())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([350, 800])
        splitter.setChildrenCollapsible(False)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        return body

    def load(self, session: Session) -> SchoolGuide:
        return schoolgids(session, self.user, local_today(self.clock))

    def show_rows(self, guide: SchoolGuide) -> None:
        self.guide = guide
        self.table.set_rows(list(guide.sections))
        if self.table.current() is None and guide.sections:
            self.table.choose(guide.sections[0].key)
        bar = self.preview.verticalScrollBar().value()
        self.preview.setHtml(guide_html(guide))
        self.preview.verticalScrollBar().setValue(bar)
        self._show_notice(guide)
        own = sum(1 for s in guide.sections if s.edited)
        text = _tr("{n} onderdelen").format(n=len(guide.sections))
        if own:
            text += " · " + (_tr("1 in eigen woorden") if own == 1
                             else _tr("{n} in eigen woorden").format(n=own))
        text += " · " + _tr("stand van {day}").format(day=format_dutch_date(guide.made_on))
        self.set_count(text)

    def notice_lines(self, guide: SchoolGuide) -> list[str]:
        """Plain sentences: what is missing, where to fill it in, and who was left out."""
        lines = []
        contacts = [m for m in guide.missing if m in CONTACT_LABELS.values()]
        if contacts:
            lines.append(_tr("Nog in te vullen: {what}. {where}").format(
                what="; ".join(contacts), where=where_to_fill_in(self.user)))
        places = {EMPTY_LISTS["leveranciers"]: _tr("Leveranciers"),
                  EMPTY_LISTS["toestemmingsdoelen"]: _tr("Toestemmingen › Doelen"),
                  EMPTY_LISTS["bewaartermijnen"]: _tr("Bewaartermijnen")}
        for missing in guide.missing:
            if missing in places:
                lines.append(_tr("De tekst noemt nog geen {what}; vul die aan bij "
                                 "{place}.").format(what=missing, place=places[missing]))
        if guide.left_out:
            names = "; ".join(_tr("{supplier}, want {reason}").format(
                supplier=item.supplier, reason=item.reason) for item in guide.left_out)
            lines.append(_tr("Niet in de tekst: {names}. Leg een geldige "
                             "verwerkersovereenkomst vast bij Leveranciers, dan komt de "
                             "leverancier er vanzelf in.").format(names=names))
        return lines

    def _show_notice(self, guide: SchoolGuide) -> None:
        lines = self.notice_lines(guide)
        self.notice.setVisible(bool(lines))
        self.notice.setText("<br>".join(f"• {html.escape(line)}" for line in lines))

    def actions(self) -> list[Action]:
        return [Action(_tr("Tekst &wijzigen…"), self.edit_section, Permission.SETTINGS,
                       primary=True, name="edit",
                       tooltip=_tr("Dit onderdeel in de woorden van uw school (Enter)")),
                Action(contact_button_text(), self.edit_contact, Permission.SETTINGS,
                       name="contact"),
                Action(_tr("Opslaan als &Word…"), self.save_docx, name="docx",
                       tooltip=_tr("Een Word-bestand om in de schoolgids te plakken")),
                Action(_tr("&PDF maken…"), self.save_pdf, name="pdf")]

    def current(self) -> GuideSection | None:
        return self.table.current()

    def _on_selection(self, section: GuideSection | None) -> None:
        if section is not None:
            self.preview.scrollToAnchor(section.key)

    def edit_section(self) -> None:
        section = self.current()
        if section is None or not self.buttons["edit"].isEnabled():
            return
        if SectionDialog.ask(self, self.vault, self.user, section, clock=self.clock):
            self.refresh()
            self.table.choose(section.key)
            self._on_selection(self.current())
            self.changed.emit()

    def edit_contact(self) -> None:
        if SchoolContactDialog.ask(self, self.vault, self.user, clock=self.clock):
            self.refresh()
            self.changed.emit()

    def save_docx(self, *, blocking: bool = False) -> Task | None:
        return self._export(".docx", blocking=blocking)

    def save_pdf(self, *, blocking: bool = False) -> Task | None:
        return self._export(".pdf", blocking=blocking)

    def _export(self, suffix: str, *, blocking: bool) -> Task | None:
        from desktop.printing.schoolgids import schoolgids_docx, schoolgids_pdf

        today = local_today(self.clock)
        writer = schoolgids_docx if suffix == ".docx" else schoolgids_pdf

        def gather(session: Session) -> SchoolGuide:
            return schoolgids(session, self.user, today)

        def write(path: Path, guide: SchoolGuide, _progress) -> None:  # noqa: ANN001
            writer(path, guide)

        word = suffix == ".docx"
        return export(self, self.vault, title=_tr("Schoolgidstekst opslaan") if word
                      else _tr("Schoolgidstekst als PDF"),
                      suggested_name=_tr("Privacytekst schoolgids {day}").format(
                          day=format_dutch_date(today)),
                      gather=gather, write=write, suffix=suffix, blocking=blocking,
                      filter_text=_tr("Word-documenten (*.docx)") if word else None,
                      saved_text=_tr("De privacytekst voor de schoolgids is opgeslagen:\n"
                                     "{path}"))


register_page(SchoolgidsPage)
