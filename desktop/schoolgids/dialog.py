"""Een onderdeel van de schoolgidstekst in eigen woorden: the school's own heading and text of
one section, with the fill-ins ({leveranciers}, {fg_naam}, …) that the register fills in.
'Standaardtekst terugzetten' puts the shipped wording back; saving that wording drops the
school's own (db.schoolgids.save_section_text)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.clock import Clock, system_clock
from db.permissions import Actor
from db.schoolgids import FILL_INS, GuideSection, save_section_text
from db.vault import Vault
from desktop.kit.forms import FormDialog, hint, text_box


def _tr(text: str) -> str:
    return QCoreApplication.translate("schoolgids", text)


class SectionDialog(FormDialog):
    """Tekst wijzigen for one section. ``own_text`` after accept(): whether the school's own
    wording is stored (False: the section follows the standard text)."""

    def __init__(self, parent: QWidget | None, vault: Vault, user: Actor,
                 section: GuideSection, *, clock: Clock = system_clock) -> None:
        super().__init__(parent, _tr("Tekst wijzigen: {title}").format(title=section.title),
                         ok_text=_tr("Opslaan"), intro=_tr(
                             "Schrijf dit onderdeel in de woorden van uw school. Woorden tussen "
                             "accolades, zoals {leveranciers}, vult het programma bij het "
                             "afdrukken in uit het register. Dubbelklik op een invulplek om "
                             "hem in de tekst te zetten. Een witregel begint een nieuwe "
                             "alinea."))
        self.vault, self.user, self.clock, self.section = vault, user, clock, section
        self.own_text: bool | None = None
        self.title_edit = QLineEdit(section.title)
        self.title_edit.setMaxLength(200)
        self.text = text_box(14, minimum_width=520)
        self.text.setPlainText(section.text)
        self.fill_ins = QListWidget()
        self.fill_ins.setAccessibleName(_tr("Invulplekken"))
        self.fill_ins.setWordWrap(True)
        self.fill_ins.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        for name, meaning in FILL_INS.items():
            item = QListWidgetItem(f"{{{name}}}  {meaning}")
            item.setData(Qt.ItemDataRole.UserRole, "{" + name + "}")
            item.setToolTip(meaning)
            self.fill_ins.addItem(item)
        self.fill_ins.setMinimumWidth(300)
        self.fill_ins.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fill_ins.itemActivated.connect(self._insert)
        self.fill_ins.itemDoubleClicked.connect(self._insert)
        self.reset_button = QPushButton(_tr("&Standaardtekst terugzetten"))
        self.reset_button.setToolTip(_tr("De kop en tekst zoals het programma ze levert; "
                                         "na Opslaan volgt dit onderdeel weer de standaard."))
        self.reset_button.clicked.connect(self.back_to_default)

        self.errors.add(self.form, "title", _tr("&Kop"), self.title_edit)
        text_row = QWidget()
        row = QHBoxLayout(text_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.text, 3)
        side = QVBoxLayout()
        side.setSpacing(4)
        caption = QLabel(_tr("&Invulplekken"))
        caption.setBuddy(self.fill_ins)
        side.addWidget(caption)
        side.addWidget(self.fill_ins, 1)
        row.addLayout(side, 2)
        self.errors.add(self.form, "text", _tr("&Tekst"), self.text, extra=text_row)
        self.state = hint("")
        self.state.setWordWrap(False)
        self.form.addRow(QLabel(), self.state)
        self.buttons.addButton(self.reset_button, self.buttons.ButtonRole.ResetRole)
        self.text.textChanged.connect(self._update_state)
        self.title_edit.textChanged.connect(self._update_state)
        self._update_state()
        self.preferred_width = 980
        self.text.setFocus()

    def is_default(self) -> bool:
        return (self.title_edit.text().strip(), self.text.toPlainText().strip()) == (
            self.section.default_title, self.section.default_text.strip())

    def _update_state(self) -> None:
        default = self.is_default()
        self.reset_button.setEnabled(not default)
        self.state.setText(_tr("Dit is de standaardtekst van het programma.") if default
                           else _tr("Dit is de eigen tekst van de school."))

    def back_to_default(self) -> None:
        self.title_edit.setText(self.section.default_title)
        self.text.setPlainText(self.section.default_text)

    def _insert(self, item: QListWidgetItem) -> None:
        self.text.insertPlainText(item.data(Qt.ItemDataRole.UserRole))
        self.text.setFocus()

    def save(self) -> None:
        with self.vault.session() as session:
            self.own_text = save_section_text(session, self.user, self.section.key,
                                              title=self.title_edit.text(),
                                              text=self.text.toPlainText(), clock=self.clock)
