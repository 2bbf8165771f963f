"""Leerlingen importeren: choose a file → (CSV/XLSX) match the columns → preview → import.

Nothing is written before the user presses "Importeren"; then everything is written in one
transaction on a worker thread, with progress and Annuleren (which rolls everything back).

The steps are plain methods so tests drive them without exec():
``load_file(path)``, ``set_mapping(...)``/``next_page()``, ``preview``, ``commit()``.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.clock import local_today
from db.errors import RegisterError
from db.imports.detect import parse_file
from db.imports.model import ImportedPupil, ParsedFile
from db.imports.preview import (
    ImportResult,
    build_preview,
    commit_import,
    load_mapping,
    save_mapping,
)
from db.imports.tabular import FIELDS, Table, guess_mapping, mapping_key, missing_fields
from db.pupils import pupil_rows
from db.text import format_dutch_date
from desktop.kit.forms import Field, FieldError, heading, hint
from desktop.kit.steps import ImportSteps, Step
from desktop.kit.tasks import Outcome
from desktop.kit.widgets import DateEdit, RowsModel, plural, roomy_tree, setup_table

NO_COLUMN = ""


Page = Step  # the steps by name: Page.FILE … Page.RESULT


def _name(pupil: ImportedPupil) -> str:
    return " ".join(p for p in (pupil.first_name, pupil.prefix, pupil.last_name) if p)


class ImportWizard(ImportSteps):
    """The import steps in one dialog. ``blocking=True`` runs file reading and the import on
    the calling thread (tests); otherwise on a worker thread behind a progress dialog."""

    TITLE = QT_TRANSLATE_NOOP("ImportWizard", "Leerlingen importeren")
    FILE_FILTER = QT_TRANSLATE_NOOP(
        "ImportWizard", "Leerlingbestanden (*.xml *.csv *.xlsx);;Alle bestanden (*)")

    def _init_state(self) -> None:
        self.parsed: ParsedFile | None = None
        self.table: Table | None = None
        self.mapping: dict[str, str] = {}
        self._names: dict[int, tuple[str, str]] = {}
        self.setWindowTitle(self.tr("Leerlingen importeren"))

    # --- pages -----------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        self._file_field()
        self.file_edit.returnPressed.connect(self.next_page)
        label = QLabel(self.tr("&Bestand"))
        label.setBuddy(self.file_edit)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Leerlingen importeren")))
        layout.addWidget(hint(self.tr(
            "Lees leerlingen in uit een export van ParnasSys of ESIS (EDEXML, .xml) of uit een "
            "lijst als CSV (.csv) of Excel-werkmap (.xlsx). U ziet eerst wat er verandert; er "
            "wordt pas iets opgeslagen als u op ‘Importeren’ drukt.")))
        layout.addSpacing(8)
        layout.addWidget(label)
        layout.addWidget(self.file_field)
        layout.addStretch(1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.mapping_intro = hint("")
        self.mapping_grid = QGridLayout()
        self.mapping_grid.setHorizontalSpacing(16)
        self.mapping_grid.setVerticalSpacing(8)
        self.mapping_grid.setColumnStretch(2, 1)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 12, 0)
        holder_layout.addLayout(self.mapping_grid)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.mapping_error = FieldError()
        self.mapping_combos: dict[str, QComboBox] = {}
        self.mapping_samples: dict[str, QLabel] = {}
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Kolommen koppelen")))
        layout.addWidget(self.mapping_intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.mapping_error)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.preview_title = heading(self.tr("Controleren"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview_tabs = QTabWidget()

        self.new_model = RowsModel([
            (self.tr("Naam"), _name),
            (self.tr("Geboortedatum"), lambda p: p.date_of_birth),
            (self.tr("Groep"), lambda p: p.group_name),
            (self.tr("Leerlingnummer"), lambda p: p.source_key or ""),
            (self.tr("Ouders/verzorgers"), lambda p: len(p.guardians) or ""),
            (self.tr("Waar in het bestand"), lambda p: p.where),
        ], [], self)
        self.new_table = self._table(self.new_model, widths=(240, 120, 70, 130, 140))

        self.changed_tree = QTreeWidget()
        self.changed_tree.setHeaderLabels([self.tr("Leerling en wijziging"), self.tr("Groep")])
        roomy_tree(self.changed_tree)
        self.changed_tree.setColumnWidth(0, 560)

        self.unchanged_model = RowsModel([
            (self.tr("Naam"), lambda pid: self._names.get(pid, ("", ""))[0]),
            (self.tr("Groep"), lambda pid: self._names.get(pid, ("", ""))[1]),
        ], [], self)
        unchanged = QWidget()
        unchanged_layout = QVBoxLayout(unchanged)
        unchanged_layout.setContentsMargins(12, 12, 12, 12)
        unchanged_layout.addWidget(hint(self.tr(
            "Deze leerlingen staan al precies zo in het register. Aan hen verandert niets.")))
        unchanged_layout.addWidget(self._table(self.unchanged_model, widths=(320,)), 1)

        missing = QWidget()
        self.missing_tree = QTreeWidget()
        self.missing_tree.setHeaderLabels([self.tr("Als vertrokken markeren"), self.tr("Naam"),
                                           self.tr("Groep")])
        roomy_tree(self.missing_tree)
        self.missing_tree.setRootIsDecorated(False)
        self.missing_tree.setColumnWidth(0, 200)
        self.missing_tree.setColumnWidth(1, 320)
        self.left_on = DateEdit()
        self.left_on_field = Field(self.left_on)
        check_all = QPushButton(self.tr("&Alles aanvinken"))
        check_none = QPushButton(self.tr("&Niets aanvinken"))
        for button in (check_all, check_none):
            button.setAutoDefault(False)
        check_all.clicked.connect(lambda: self.set_all_missing(True))
        check_none.clicked.connect(lambda: self.set_all_missing(False))
        date_label = QLabel(self.tr("&Vertrekdatum voor de aangevinkte leerlingen"))
        date_label.setBuddy(self.left_on)
        missing_row = QHBoxLayout()
        missing_row.setSpacing(8)
        missing_row.addWidget(check_all)
        missing_row.addWidget(check_none)
        missing_row.addSpacing(24)
        missing_row.addWidget(date_label)
        missing_row.addWidget(self.left_on_field)
        missing_row.addStretch(1)
        missing_layout = QVBoxLayout(missing)
        missing_layout.setContentsMargins(12, 12, 12, 12)
        missing_layout.setSpacing(10)
        missing_layout.addWidget(hint(self.tr(
            "Deze huidige leerlingen staan niet in het bestand. Zijn ze vertrokken, vink ze dan "
            "aan: ze worden als vertrokken gemarkeerd (niet verwijderd). Wie niet is "
            "aangevinkt, blijft ongewijzigd.")))
        missing_layout.addWidget(self.missing_tree, 1)
        missing_layout.addLayout(missing_row)

        self.problem_model = RowsModel([
            (self.tr("Waar"), lambda p: p.where),
            (self.tr("Wat is er mis"), lambda p: p.message),
        ], [], self)
        problems = QWidget()
        problems_layout = QVBoxLayout(problems)
        problems_layout.setContentsMargins(12, 12, 12, 12)
        problems_layout.addWidget(hint(self.tr(
            "Deze regels worden niet geïmporteerd. Pas ze aan in het leerlingadministratie"
            "systeem of in het bestand en importeer daarna opnieuw; de rest kunt u nu al "
            "importeren.")))
        problems_layout.addWidget(self._table(self.problem_model, widths=(200,)), 1)

        new = QWidget()
        new_layout = QVBoxLayout(new)
        new_layout.setContentsMargins(12, 12, 12, 12)
        new_layout.addWidget(hint(self.tr("Deze leerlingen komen nieuw in het register.")))
        new_layout.addWidget(self.new_table, 1)
        changed = QWidget()
        changed_layout = QVBoxLayout(changed)
        changed_layout.setContentsMargins(12, 12, 12, 12)
        changed_layout.addWidget(hint(self.tr(
            "Bij deze leerlingen neemt het register de gegevens uit het bestand over.")))
        changed_layout.addWidget(self.changed_tree, 1)

        self.tab_pages = {"new": new, "changed": changed, "unchanged": unchanged,
                          "missing": missing, "problems": problems}
        for widget in self.tab_pages.values():
            self.preview_tabs.addTab(widget, "")

        self.commit_message = FieldError()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.preview_title)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview_tabs, 1)
        layout.addWidget(self.commit_message)
        return page

    def _table(self, model: RowsModel, widths: tuple[int, ...]) -> QTableView:
        view = QTableView()
        view.setModel(model)
        setup_table(view)
        for column, width in enumerate(widths):
            view.horizontalHeader().resizeSection(column, width)
        return view

    # --- navigation ------------------------------------------------------------------------

    def _focus(self, page: int) -> None:
        if page == Page.FILE:
            self.file_edit.setFocus()
        elif page == Page.MAPPING and self.mapping_combos:
            next(iter(self.mapping_combos.values())).setFocus()
        elif page == Page.PREVIEW:
            self.preview_tabs.setFocus()
        else:
            self.close_button.setFocus()

    def _has_mapping_step(self) -> bool:
        return self.table is not None

    def _chosen(self, path: Path) -> None:
        self.load_file(path)

    def load_file(self, path: Path | str, *, blocking: bool | None = None) -> None:
        """Read the file; go to the column page (CSV/XLSX) or straight to the preview."""
        path = Path(path)
        self.file_field.error.clear()
        self.file_edit.setText(str(path))
        try:
            data = path.read_bytes()
        except OSError:
            self.file_field.error.show_message(self.tr(
                "Het bestand ‘%1’ kan niet worden geopend. Bestaat het nog, en is het niet "
                "geopend in een ander programma?").replace("%1", path.name))
            return
        self.path = path

        def work(_progress) -> tuple:  # noqa: ANN001 - runs on the worker thread
            parsed, table = parse_file(data, path.name)
            remembered = None
            if table is not None:
                with self.vault.session() as session:
                    remembered = load_mapping(session, self.user,
                                              mapping_key(table.headers))
            return parsed, table, remembered

        self._run(work, self._file_loaded, label=self.tr("Het bestand wordt gelezen…"),
                  blocking=blocking)

    def _file_loaded(self, outcome: Outcome) -> None:
        if not outcome.ok:
            self.file_field.error.show_message(self._failure(outcome.error))
            return
        parsed, table, remembered = outcome.result
        if table is None and not parsed.pupils:
            messages = [p.message for p in parsed.problems[:3]] or [
                self.tr("Het bestand bevat geen leerlingen.")]
            self.file_field.error.show_message("\n".join(messages))
            return
        self.parsed, self.table = parsed, table
        if table is None:
            self._build_preview(parsed)
            return
        guessed = guess_mapping(table.headers)
        mapping = {k: v for k, v in (remembered or {}).items() if v in table.headers}
        self._fill_mapping(table, mapping if mapping else guessed, remembered=bool(mapping))
        self._go(Page.MAPPING)

    # --- step 2: the columns (CSV/XLSX) ----------------------------------------------------

    def _fill_mapping(self, table: Table, mapping: dict[str, str], *, remembered: bool) -> None:
        while self.mapping_grid.count():
            item = self.mapping_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.mapping_combos.clear()
        self.mapping_samples.clear()
        self.mapping_error.clear()
        intro = self.tr(
            "Geef bij elk gegeven aan in welke kolom van het bestand het staat. Velden met * "
            "zijn verplicht (roepnaam of voornamen is genoeg). Kies ‘— niet gebruiken —’ voor "
            "gegevens die niet in het bestand staan.")
        if remembered:
            intro += " " + self.tr("De koppeling van de vorige keer met dit soort bestand is "
                                   "alvast ingevuld.")
        else:
            intro += " " + self.tr("De koppeling is alvast geraden aan de kolomnamen; "
                                   "controleer haar.")
        self.mapping_intro.setText(intro)
        headers = [self.tr("Gegeven"), self.tr("Kolom in het bestand"),
                   self.tr("Voorbeeld uit het bestand")]
        for column, text in enumerate(headers):
            label = QLabel(text)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            self.mapping_grid.addWidget(label, 0, column)
        row = 1
        section = None
        for name, spec in FIELDS.items():
            group = name.split("_")[0] if name.startswith("guardian") else "pupil"
            if group != section:
                section = group
                if group != "pupil":
                    number = group.removeprefix("guardian")
                    title = heading(self.tr("Ouder/verzorger %1").replace("%1", number),
                                    size_delta=0)
                    self.mapping_grid.addWidget(title, row, 0, 1, 3)
                    row += 1
            required = spec.required or name in ("first_name", "given_names")
            label = QLabel(spec.label + (" *" if required else ""))
            combo = QComboBox()
            combo.addItem(self.tr("— niet gebruiken —"), NO_COLUMN)
            for header in table.headers:
                combo.addItem(header, header)
            combo.setMinimumWidth(260)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(name, NO_COLUMN))))
            label.setBuddy(combo)
            sample = QLabel()
            sample.setStyleSheet("color: #555555;")
            sample.setTextFormat(Qt.TextFormat.PlainText)
            combo.currentIndexChanged.connect(lambda _i, n=name: self._update_sample(n))
            self.mapping_grid.addWidget(label, row, 0)
            self.mapping_grid.addWidget(combo, row, 1)
            self.mapping_grid.addWidget(sample, row, 2)
            self.mapping_combos[name] = combo
            self.mapping_samples[name] = sample
            self._update_sample(name)
            row += 1

    def _update_sample(self, name: str) -> None:
        header = self.mapping_combos[name].currentData()
        sample = self.mapping_samples[name]
        if not header or self.table is None:
            sample.setText("")
            return
        index = self.table.headers.index(header)
        values = []
        for row in self.table.rows[:20]:
            value = row[index]
            text = format_dutch_date(value) if isinstance(value, date) else value.strip()
            if text and text not in values:
                values.append(text)
            if len(values) == 2:
                break
        shown = ", ".join(values)
        sample.setText(self.tr("bijv. %1").replace("%1", shown[:60]) if values else
                       self.tr("(leeg)"))

    def current_mapping(self) -> dict[str, str]:
        return {name: combo.currentData() for name, combo in self.mapping_combos.items()
                if combo.currentData()}

    def set_mapping(self, mapping: dict[str, str]) -> None:
        """Choose columns (field → header); fields not named are left as they are."""
        for name, header in mapping.items():
            combo = self.mapping_combos[name]
            combo.setCurrentIndex(max(0, combo.findData(header or NO_COLUMN)))

    def apply_mapping(self, *, blocking: bool | None = None) -> None:
        if self.table is None:
            return
        mapping = self.current_mapping()
        missing = missing_fields(mapping)
        if missing:
            self.mapping_error.show_message(self.tr("Kies een kolom voor: %1.")
                                            .replace("%1", ", ".join(missing)))
            return
        self.mapping_error.clear()
        self.mapping = mapping
        table = self.table

        def work(_progress) -> ParsedFile:  # noqa: ANN001
            from db.imports.tabular import parse_table
            return parse_table(table, mapping)

        def parsed_done(outcome: Outcome) -> None:
            if not outcome.ok:
                self.mapping_error.show_message(self._failure(outcome.error))
                return
            self.parsed = outcome.result
            self._build_preview(outcome.result, blocking=blocking)

        self._run(work, parsed_done, label=self.tr("Het bestand wordt gelezen…"),
                  blocking=blocking)

    # --- step 3: the preview ---------------------------------------------------------------

    def _build_preview(self, parsed: ParsedFile, *, blocking: bool | None = None) -> None:
        def work(_progress) -> tuple:  # noqa: ANN001
            with self.vault.session() as session:
                preview = build_preview(session, self.user, parsed)
                names = {r.id: (r.full_name, r.group_name)
                         for r in pupil_rows(session, self.user)}
            return preview, names

        self._run(work, self._preview_built,
                  label=self.tr("De gegevens worden vergeleken met het register…"),
                  blocking=blocking)

    def _preview_built(self, outcome: Outcome) -> None:
        if not outcome.ok:
            error = self._failure(outcome.error)
            if self.table is not None:
                self.mapping_error.show_message(error)
            else:
                self.file_field.error.show_message(error)
            return
        self.preview, self._names = outcome.result
        self._show_preview()
        self._go(Page.PREVIEW)

    def _show_preview(self) -> None:
        preview = self.preview
        assert preview is not None
        self.commit_message.clear()
        counts = {"new": len(preview.new), "changed": len(preview.changed),
                  "unchanged": len(preview.unchanged), "missing": len(preview.missing),
                  "problems": len(preview.problems)}
        titles = {"new": self.tr("Nieuw (%1)"), "changed": self.tr("Gewijzigd (%1)"),
                  "unchanged": self.tr("Ongewijzigd (%1)"),
                  "missing": self.tr("Niet meer in het bestand (%1)"),
                  "problems": self.tr("Problemen (%1)")}
        for index, key in enumerate(self.tab_pages):
            self.preview_tabs.setTabText(index, titles[key].replace("%1", str(counts[key])))
        source = self.path.name if self.path else ""
        in_file = counts["new"] + counts["changed"] + counts["unchanged"]
        parts = [self.tr("%1 nieuw").replace("%1", str(counts["new"])),
                 self.tr("%1 gewijzigd").replace("%1", str(counts["changed"])),
                 self.tr("%1 ongewijzigd").replace("%1", str(counts["unchanged"])),
                 self.tr("%1 niet meer in het bestand").replace("%1", str(counts["missing"])),
                 plural(counts["problems"], self.tr("1 probleem"), self.tr("%1 problemen"))]
        read = plural(in_file, self.tr("1 leerling gelezen"), self.tr("%1 leerlingen gelezen"))
        summary = f"{source}: {read} — {', '.join(parts)}."
        if preview.has_work:
            summary += "\n" + self.tr("Er is nog niets opgeslagen. Kies ‘Importeren’ om dit in "
                                      "één keer vast te leggen.")
        else:
            summary += "\n" + self.tr("Er valt niets te importeren: het register is al bij.")
        self.summary.setText(summary)

        self.new_model.set_rows(preview.new)
        self.unchanged_model.set_rows(preview.unchanged)
        self.problem_model.set_rows(preview.problems)

        self.changed_tree.clear()
        items = []
        for change in preview.changed:
            item = QTreeWidgetItem([_name(change.incoming), change.incoming.group_name])
            for field_change in change.changes:
                QTreeWidgetItem(item, [field_change.describe(), ""])
            items.append(item)
        self.changed_tree.addTopLevelItems(items)
        if len(items) <= 200:
            self.changed_tree.expandAll()

        self.missing_tree.clear()
        missing_items = []
        for pupil in preview.missing:
            item = QTreeWidgetItem(["", pupil.name, pupil.group_name])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            item.setData(0, Qt.ItemDataRole.UserRole, pupil.pupil_id)
            missing_items.append(item)
        self.missing_tree.addTopLevelItems(missing_items)
        self.left_on.set_date(local_today(self.clock))
        first = next((i for i, key in enumerate(self.tab_pages) if counts[key]), 0)
        self.preview_tabs.setCurrentIndex(first)
        self.import_button.setEnabled(preview.has_work)

    def set_all_missing(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for index in range(self.missing_tree.topLevelItemCount()):
            self.missing_tree.topLevelItem(index).setCheckState(0, state)

    def set_missing_checked(self, pupil_id: int, checked: bool) -> None:
        for index in range(self.missing_tree.topLevelItemCount()):
            item = self.missing_tree.topLevelItem(index)
            if item.data(0, Qt.ItemDataRole.UserRole) == pupil_id:
                item.setCheckState(0, Qt.CheckState.Checked if checked
                                   else Qt.CheckState.Unchecked)

    def marked_left(self) -> set[int]:
        marked = set()
        for index in range(self.missing_tree.topLevelItemCount()):
            item = self.missing_tree.topLevelItem(index)
            if item.checkState(0) == Qt.CheckState.Checked:
                marked.add(item.data(0, Qt.ItemDataRole.UserRole))
        return marked

    # --- step 4: the import ----------------------------------------------------------------

    def commit(self, *, blocking: bool | None = None) -> None:
        """Importeren: everything in one transaction; Annuleren rolls it all back."""
        if self.preview is None or not self.preview.has_work or self._task is not None:
            return
        self.commit_message.clear()
        self.left_on_field.error.clear()
        mark_left = self.marked_left()
        left_on = None
        if mark_left:
            try:
                left_on = self.left_on.date_value()
            except ValueError as error:
                left_on, message = None, str(error)
            else:
                message = "" if left_on else self.tr("Vul de vertrekdatum in (dd-mm-jjjj).")
            if left_on is None:
                self.preview_tabs.setCurrentWidget(self.tab_pages["missing"])
                self.left_on_field.error.show_message(message)
                self.left_on.setFocus()
                return
        preview, user, clock = self.preview, self.user, self.clock
        mapping = dict(self.mapping) if self.table is not None else None
        key = mapping_key(self.table.headers) if self.table is not None else None

        def work(progress) -> ImportResult:  # noqa: ANN001 - runs on the worker thread
            with self.vault.session() as session:
                result = commit_import(session, user, preview, left_on=left_on,
                                       mark_left=mark_left, clock=clock, progress=progress)
                if mapping is not None and key is not None:
                    save_mapping(session, user, key, mapping)
            return result

        self._run(work, self._committed, label=self.tr("De leerlingen worden geïmporteerd…"),
                  blocking=blocking, cancellable=True)

    def _result_text(self, result: ImportResult) -> str:
        lines = self._result_lines(result)
        text = "".join(f"<p style='margin: 0 0 8px 0'>•&nbsp;&nbsp;{escape(line)}</p>"
                       for line in lines)
        problems = len(self.preview.problems) if self.preview is not None else 0
        if problems:
            text += "<p style='margin-top: 16px'>" + escape(plural(
                problems,
                self.tr("1 regel met een probleem is overgeslagen."),
                self.tr("%1 regels met een probleem zijn overgeslagen.")) + " " + self.tr(
                "Pas ze aan in het leerlingadministratiesysteem of in het bestand en "
                "importeer opnieuw; wat nu is geïmporteerd, wordt dan herkend.")) + "</p>"
        return text

    def _result_lines(self, result: ImportResult) -> list[str]:
        return [
            plural(result.added, self.tr("1 leerling toegevoegd"),
                   self.tr("%1 leerlingen toegevoegd")),
            plural(result.updated, self.tr("1 leerling bijgewerkt"),
                   self.tr("%1 leerlingen bijgewerkt")),
            plural(result.marked_left, self.tr("1 leerling als vertrokken gemarkeerd"),
                   self.tr("%1 leerlingen als vertrokken gemarkeerd")),
            plural(result.guardians_added, self.tr("1 ouder/verzorger toegevoegd"),
                   self.tr("%1 ouders/verzorgers toegevoegd")),
        ]

    def summary_text(self) -> str:
        """The result as one line ('3 leerlingen toegevoegd, …'), e.g. for a status bar."""
        if self.result is None:
            return ""
        return ", ".join(self._result_lines(self.result)) + "."

    # --- running work ----------------------------------------------------------------------

    def _failure(self, error: BaseException | None) -> str:
        if isinstance(error, RegisterError):
            return str(error)
        return self.tr("Er ging iets mis bij het lezen of opslaan (%1). Er is niets "
                       "opgeslagen.").replace("%1", type(error).__name__)
