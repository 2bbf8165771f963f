"""Voorkeuren uit de ouderapp importeren: file, source and date → columns and values →
preview → one transaction on a worker thread, with progress and Annuleren → result.

Nothing is written before the user presses "Importeren". The rules (what a value means, what
a newer decision in the register does, what "not answered" records) live in
db.imports.consents; this wizard only shows and asks.

The steps are plain methods so tests drive them without exec(): ``load_file(path)``,
``set_column(...)``/``set_value(...)``, ``next_page()``, ``preview``, ``commit()``.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.clock import local_today
from db.consents import year_rhythm
from db.errors import RegisterError
from db.imports.consents import (
    FIELDS,
    Answer,
    ConsentImportResult,
    ConsentMapping,
    ParsedPreferences,
    PurposeChoice,
    Source,
    build_consent_preview,
    commit_consent_import,
    guess_mapping,
    load_consent_mapping,
    mapping_problems,
    parse_preferences,
    purpose_choices,
    read_preferences,
    save_consent_mapping,
    value_examples,
    values_in,
)
from db.imports.tabular import Table, TableError
from desktop.kit.forms import Field, FieldError, heading, hint
from desktop.kit.steps import ImportSteps, Step
from desktop.kit.tasks import Outcome
from desktop.kit.widgets import DateEdit, RowsModel, plural, setup_table

NOT_USED = ""


Page = Step  # the steps by name: Page.FILE … Page.RESULT


class ConsentImportWizard(ImportSteps):
    """The import steps in one dialog. ``blocking=True`` runs reading and the import on the
    calling thread (tests); otherwise on a worker thread behind a progress dialog."""

    TITLE = QT_TRANSLATE_NOOP("ConsentImportWizard", "Voorkeuren importeren")
    FILE_FILTER = QT_TRANSLATE_NOOP(
        "ConsentImportWizard", "Lijsten (*.csv *.xlsx);;Alle bestanden (*)")
    SIZE = (1100, 660)  # fits a 1366×768 screen with the taskbar

    def _init_state(self) -> None:
        self.table: Table | None = None
        self.purposes: list[PurposeChoice] = []
        self.parsed: ParsedPreferences | None = None
        self.mapping = ConsentMapping()
        self.decided_on: date | None = None
        self.column_combos: dict[str, QComboBox] = {}
        self.column_samples: dict[str, QLabel] = {}
        self.value_combos: dict[str, QComboBox] = {}
        self._value_choice: dict[str, str] = {}
        self.setWindowTitle(self.tr("Voorkeuren uit de ouderapp importeren"))


    def imported(self) -> bool:
        """Something was recorded (an import of only known choices records nothing)."""
        return self.result is not None and self.result.recorded > 0

    # --- pages -----------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        self._file_field()
        self.source_combo = QComboBox()
        self.source_combo.setMaximumWidth(320)
        for source, label in ((Source.PARRO, self.tr("Parro (ParnasSys)")),
                              (Source.SOCIAL_SCHOOLS, self.tr("Social Schools")),
                              (Source.OTHER, self.tr("Een andere ouderapp"))):
            self.source_combo.addItem(label, source)
        self.date_edit = DateEdit()
        self.date_field = Field(self.date_edit)
        today = local_today(self.clock)
        with self.vault.session() as session:
            closing = year_rhythm(session, today).closing
        if closing is not None and closing <= today:
            self.date_edit.set_date(closing)
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.addRow(self.tr("&Bestand"), self.file_field)
        form.addRow(self.tr("&Ouderapp"), self.source_combo)
        form.addRow(self.tr("&Datum van de keuzes"), self.date_field)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Voorkeuren uit de ouderapp importeren")))
        layout.addWidget(hint(self.tr(
            "Ouders kiezen hun privacyvoorkeuren per kind in Parro of Social Schools. Exporteer "
            "de lijst uit de ouderapp of uit ParnasSys als CSV (.csv) of Excel-werkmap (.xlsx): "
            "één regel per leerling, één kolom per onderwerp. U ziet eerst wat er wordt "
            "vastgelegd; er wordt pas iets opgeslagen als u op ‘Importeren’ drukt.")))
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(hint(self.tr(
            "De datum van de keuzes is de dag waarop de keuzes in de app werden gesloten. Die "
            "datum geldt voor elke regel zonder eigen datum in het bestand. Niet ingevuld legt "
            "niets vast: zonder keuze is er geen toestemming. Een keuze die in het register "
            "nieuwer is dan die in het bestand, bijvoorbeeld op papier, blijft staan.")))
        layout.addStretch(1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.mapping_intro = hint("")
        self.columns_grid = QGridLayout()
        self.values_grid = QGridLayout()
        boxes = []
        for grid, title in ((self.columns_grid, self.tr("Kolommen")),
                            (self.values_grid, self.tr("Wat betekent elke waarde?"))):
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(6)
            holder = QWidget()
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 12, 0)
            holder_layout.addLayout(grid)
            holder_layout.addStretch(1)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(holder)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(heading(title, size_delta=0))
            box_layout.addWidget(scroll, 1)
            boxes.append(box)
        self.columns_grid.setColumnStretch(2, 1)
        self.values_grid.setColumnStretch(1, 1)
        sides = QHBoxLayout()
        sides.setSpacing(16)
        sides.addWidget(boxes[0], 5)
        sides.addWidget(boxes[1], 3)
        self.mapping_error = FieldError()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Kolommen en waarden koppelen")))
        layout.addWidget(self.mapping_intro)
        layout.addLayout(sides, 1)
        layout.addWidget(self.mapping_error)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview_tabs = QTabWidget()
        self.counts_model = RowsModel([
            (self.tr("Doel"), lambda c: c.title),
            (self.tr("Gegeven"), lambda c: c.given),
            (self.tr("Geweigerd"), lambda c: c.refused),
            (self.tr("Niet ingevuld"), lambda c: c.unanswered),
            (self.tr("Vast te leggen"), lambda c: c.to_record),
            (self.tr("Al vastgelegd"), lambda c: c.already),
            (self.tr("Nieuwer in register"), lambda c: c.newer),
        ], [], self)
        self.not_found_model = RowsModel([
            (self.tr("Waar"), lambda n: n.where),
            (self.tr("Naam"), lambda n: n.name),
            (self.tr("Leerlingnummer"), lambda n: n.source_key or ""),
            (self.tr("Geboortedatum"), lambda n: n.date_of_birth),
            (self.tr("Groep"), lambda n: n.group_name),
        ], [], self)
        self.conflicts_model = RowsModel([
            (self.tr("Waar"), lambda c: c.where),
            (self.tr("Leerling"), lambda c: c.pupil_name),
            (self.tr("Doel"), lambda c: c.purpose_title),
            (self.tr("In het register"), lambda c: c.message),
        ], [], self)
        self.problem_model = RowsModel([
            (self.tr("Waar"), lambda p: p.where),
            (self.tr("Wat is er mis"), lambda p: p.message),
        ], [], self)
        tabs = (
            ("counts", self.counts_model, (430, 80, 85, 95, 100, 100), self.tr(
                "Per doel wat het bestand zegt voor de gevonden leerlingen, en wat ermee "
                "gebeurt. ‘Niet ingevuld’ legt niets vast.")),
            ("not_found", self.not_found_model, (80, 220, 120, 110), self.tr(
                "Deze leerlingen staan niet in het register; hun keuzes worden niet "
                "vastgelegd. Importeer eerst de leerlingen, of controleer leerlingnummer en "
                "geboortedatum, en importeer dit bestand daarna opnieuw.")),
            ("conflicts", self.conflicts_model, (80, 180, 260), self.tr(
                "Het register heeft voor deze doelen een nieuwere keuze, bijvoorbeeld op "
                "papier. Die blijft staan; de keuze uit het bestand wordt niet vastgelegd.")),
            ("problems", self.problem_model, (90,), self.tr(
                "Van deze regels wordt niets vastgelegd. Pas de waarden aan in de koppeling "
                "(vorige stap) of in het bestand en importeer opnieuw; de rest kunt u nu al "
                "importeren.")),
        )
        self.tab_pages: dict[str, QWidget] = {}
        self.tab_tables: dict[str, QTableView] = {}
        for key, model, widths, text in tabs:
            tab = QWidget()
            tab_layout = QVBoxLayout(tab)
            tab_layout.setContentsMargins(12, 12, 12, 12)
            tab_layout.setSpacing(8)
            tab_layout.addWidget(hint(text))
            view = QTableView()
            view.setModel(model)
            setup_table(view)
            for column, width in enumerate(widths):
                view.horizontalHeader().resizeSection(column, width)
            tab_layout.addWidget(view, 1)
            self.tab_pages[key] = tab
            self.tab_tables[key] = view
            self.preview_tabs.addTab(tab, "")
        self.commit_message = FieldError()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(heading(self.tr("Controleren")))
        layout.addWidget(self.summary)
        layout.addWidget(self.preview_tabs, 1)
        layout.addWidget(self.commit_message)
        return page

    # --- navigation ------------------------------------------------------------------------

    def source(self) -> Source:
        return Source(self.source_combo.currentData())

    def set_source(self, source: Source | str) -> None:
        self.source_combo.setCurrentIndex(self.source_combo.findData(Source(source)))

    # --- step 1: the file, the app and the date --------------------------------------------

    def load_file(self, path: Path | str, *, blocking: bool | None = None) -> None:
        """Read the list and the mapping remembered for this app and layout; go to step 2."""
        path = Path(path)
        self.file_field.error.clear()
        self.date_field.error.clear()
        self.file_edit.setText(str(path))
        try:
            self.decided_on = self.date_edit.date_value()
        except ValueError as error:
            self.date_field.error.show_message(str(error))
            return
        if self.decided_on is not None and self.decided_on > local_today(self.clock):
            self.date_field.error.show_message(self.tr(
                "Deze datum ligt in de toekomst. Geef de dag waarop de keuzes in de app werden "
                "gesloten."))
            return
        try:
            data = path.read_bytes()
        except OSError:
            self.file_field.error.show_message(self.tr(
                "Het bestand ‘%1’ kan niet worden geopend. Bestaat het nog, en is het niet "
                "geopend in een ander programma?").replace("%1", path.name))
            return
        self.path = path
        source, user = self.source(), self.user

        def work(_progress) -> tuple:  # noqa: ANN001 - runs on the worker thread
            table = read_preferences(data, path.name)
            with self.vault.session() as session:
                purposes = purpose_choices(session, user)
                remembered = load_consent_mapping(session, user, source, table.headers)
            return table, purposes, remembered

        self._run(work, self._file_loaded, label=self.tr("Het bestand wordt gelezen…"),
                  blocking=blocking)

    def _file_loaded(self, outcome: Outcome) -> None:
        if not outcome.ok:
            self.file_field.error.show_message(self._failure(outcome.error))
            return
        table, purposes, remembered = outcome.result
        self.table, self.purposes = table, purposes
        codes = [p.code for p in purposes]
        mapping = remembered.fitted(table, codes) if remembered else None
        if mapping is None or not (mapping.fields or mapping.purposes):
            mapping = guess_mapping(table, purposes)
            remembered_text = self.tr("De koppeling is alvast geraden aan de kolomnamen en "
                                      "waarden; controleer haar.")
        else:
            remembered_text = self.tr("De koppeling van de vorige keer met dit soort bestand "
                                      "uit deze app is alvast ingevuld.")
        self.mapping_intro.setText(self.tr(
            "Geef links aan wat elke kolom van het bestand is: de leerling (leerlingnummer, of "
            "naam en geboortedatum), de datum, of een toestemmingsdoel. Geef rechts aan wat "
            "elke waarde in de kolommen met doelen betekent; een waarde zonder betekenis maakt "
            "de regel ongeldig.") + " " + remembered_text)
        self._fill_columns(table, mapping)
        self._go(Page.MAPPING)

    # --- step 2: columns and values --------------------------------------------------------

    def _clear(self, grid: QGridLayout) -> None:
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _bold(self, text: str) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def _fill_columns(self, table: Table, mapping: ConsentMapping) -> None:
        self._clear(self.columns_grid)
        self.column_combos.clear()
        self.column_samples.clear()
        self.mapping_error.clear()
        for column, text in enumerate((self.tr("Kolom in het bestand"), self.tr("Is"),
                                       self.tr("Voorbeeld"))):
            self.columns_grid.addWidget(self._bold(text), 0, column)
        targets = {header: f"field:{name}" for name, header in mapping.fields.items()}
        targets.update({header: f"purpose:{code}" for header, code in mapping.purposes.items()})
        for row, header in enumerate(table.headers, start=1):
            label = QLabel(header)
            label.setWordWrap(True)
            label.setMaximumWidth(160)
            combo = QComboBox()
            combo.addItem(self.tr("— niet gebruiken —"), NOT_USED)
            for name, text in FIELDS.items():
                combo.addItem(text, f"field:{name}")
            for purpose in self.purposes:
                combo.addItem(self.tr("Doel: %1").replace("%1", purpose.title),
                              f"purpose:{purpose.code}")
            combo.setMinimumWidth(350)
            combo.setMaximumWidth(350)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.view().setMinimumWidth(520)  # the purposes' full titles in the list
            combo.setToolTip(combo.currentText())
            combo.currentTextChanged.connect(combo.setToolTip)
            combo.setCurrentIndex(max(0, combo.findData(targets.get(header, NOT_USED))))
            combo.setAccessibleName(header)
            label.setBuddy(combo)
            sample = QLabel(self._sample(table, header))
            sample.setStyleSheet("color: #555555;")
            sample.setTextFormat(Qt.TextFormat.PlainText)
            combo.currentIndexChanged.connect(lambda _i: self._fill_values())
            self.columns_grid.addWidget(label, row, 0)
            self.columns_grid.addWidget(combo, row, 1)
            self.columns_grid.addWidget(sample, row, 2)
            self.column_combos[header] = combo
            self.column_samples[header] = sample
        self._value_choice = dict(mapping.values)
        self._fill_values()

    def _sample(self, table: Table, header: str) -> str:
        index = table.headers.index(header)
        values: list[str] = []
        for row in table.rows[:20]:
            value = row[index]
            text = value.strftime("%d-%m-%Y") if isinstance(value, date) else value.strip()
            if text and text not in values:
                values.append(text)
            if len(values) == 2:
                break
        shown = ", ".join(values)
        return (shown[:24] + "…" if len(shown) > 24 else shown) if values else self.tr("(leeg)")

    def _purpose_headers(self) -> list[str]:
        return [h for h, combo in self.column_combos.items()
                if str(combo.currentData()).startswith("purpose:")]

    def _fill_values(self) -> None:
        """One row per value in the columns with a purpose, with what it means."""
        if self.table is None:
            return
        for key, combo in self.value_combos.items():
            self._value_choice[key] = combo.currentData()
        self._clear(self.values_grid)
        self.value_combos.clear()
        for column, text in enumerate((self.tr("Waarde"), self.tr("Betekent"),
                                       self.tr("Aantal"))):
            self.values_grid.addWidget(self._bold(text), 0, column)
        headers = self._purpose_headers()
        counts = values_in(self.table, headers)
        shown = value_examples(self.table, headers)
        for row, (key, count) in enumerate(sorted(counts.items(), key=lambda kv: (kv[0] != "",
                                                                                 kv[0])), 1):
            label = QLabel(self.tr("(leeg)") if key == "" else shown.get(key, key))
            label.setTextFormat(Qt.TextFormat.PlainText)
            combo = QComboBox()
            combo.addItem(self.tr("onbekend: regel overslaan"), NOT_USED)
            combo.addItem(self.tr("toestemming gegeven"), Answer.GIVEN)
            combo.addItem(self.tr("geweigerd"), Answer.REFUSED)
            combo.addItem(self.tr("niet ingevuld (niets vastleggen)"), Answer.NONE)
            default = Answer.NONE if key == "" else NOT_USED
            combo.setCurrentIndex(max(0, combo.findData(self._value_choice.get(key, default))))
            combo.setMinimumWidth(215)
            combo.setAccessibleName(label.text())
            label.setBuddy(combo)
            self.values_grid.addWidget(label, row, 0)
            self.values_grid.addWidget(combo, row, 1)
            self.values_grid.addWidget(QLabel(str(count)), row, 2)
            self.value_combos[key] = combo

    def current_mapping(self) -> ConsentMapping:
        mapping = ConsentMapping()
        for header, combo in self.column_combos.items():
            target = str(combo.currentData() or "")
            kind, _, name = target.partition(":")
            if kind == "field":
                mapping.fields.setdefault(name, header)
            elif kind == "purpose":
                mapping.purposes[header] = name
        choices = {**self._value_choice,
                   **{key: combo.currentData() for key, combo in self.value_combos.items()}}
        mapping.values = {key: str(value) for key, value in choices.items() if value}
        return mapping

    def set_column(self, header: str, target: str) -> None:
        """What a column is: 'field:source_key', 'purpose:foto_website' or '' (not used)."""
        combo = self.column_combos[header]
        combo.setCurrentIndex(max(0, combo.findData(target)))

    def set_value(self, value_key: str, answer: Answer | str) -> None:
        combo = self.value_combos[value_key]
        combo.setCurrentIndex(max(0, combo.findData(answer or NOT_USED)))

    def apply_mapping(self, *, blocking: bool | None = None) -> None:
        if self.table is None:
            return
        mapping = self.current_mapping()
        missing = mapping_problems(mapping, has_date=self.decided_on is not None)
        if missing:
            self.mapping_error.show_message("\n".join(missing))
            return
        self.mapping_error.clear()
        self.mapping = mapping
        table, user, source, decided_on = self.table, self.user, self.source(), self.decided_on
        clock = self.clock

        def work(_progress) -> tuple:  # noqa: ANN001 - runs on the worker thread
            parsed = parse_preferences(table, mapping, decided_on=decided_on)
            with self.vault.session() as session:
                preview = build_consent_preview(session, user, parsed, source, clock=clock)
            return parsed, preview

        self._run(work, self._preview_built,
                  label=self.tr("De keuzes worden vergeleken met het register…"),
                  blocking=blocking)

    # --- step 3: the preview ---------------------------------------------------------------

    def _preview_built(self, outcome: Outcome) -> None:
        if not outcome.ok:
            self.mapping_error.show_message(self._failure(outcome.error))
            return
        self.parsed, self.preview = outcome.result
        self._show_preview()
        self._go(Page.PREVIEW)

    def _show_preview(self) -> None:
        preview = self.preview
        assert preview is not None
        self.commit_message.clear()
        self.counts_model.set_rows(preview.counts)
        self.not_found_model.set_rows(preview.not_found)
        self.conflicts_model.set_rows(preview.conflicts)
        self.problem_model.set_rows(preview.problems)
        counts = {"counts": len(preview.counts), "not_found": len(preview.not_found),
                  "conflicts": len(preview.conflicts), "problems": preview.problem_count}
        titles = {"counts": self.tr("Per doel (%1)"), "not_found": self.tr("Niet gevonden (%1)"),
                  "conflicts": self.tr("Nieuwer in het register (%1)"),
                  "problems": self.tr("Problemen (%1)")}
        for index, key in enumerate(self.tab_pages):
            self.preview_tabs.setTabText(index, titles[key].replace("%1", str(counts[key])))
        to_record = len(preview.planned)
        parts = [
            plural(preview.rows_read, self.tr("1 regel gelezen"), self.tr("%1 regels gelezen")),
            plural(preview.pupils_found, self.tr("1 leerling gevonden"),
                   self.tr("%1 leerlingen gevonden")),
            plural(len(preview.not_found), self.tr("1 niet gevonden"),
                   self.tr("%1 niet gevonden")),
            plural(preview.problem_count, self.tr("1 regel met een probleem"),
                   self.tr("%1 regels met een probleem")),
        ]
        name = self.path.name if self.path else ""
        summary = f"{name}: {', '.join(parts)}."
        if preview.has_work:
            summary += "\n" + plural(
                to_record, self.tr("1 keuze wordt vastgelegd"),
                self.tr("%1 keuzes worden vastgelegd")) + " " + self.tr(
                "(door: ouder via app, tenzij het bestand de ouder noemt). Er is nog niets "
                "opgeslagen; kies ‘Importeren’ om dit in één keer vast te leggen.")
        else:
            summary += "\n" + self.tr("Er valt niets vast te leggen: het register heeft deze "
                                      "keuzes al, of nieuwere.")
        self.summary.setText(summary)
        self.preview_tabs.setCurrentIndex(0)
        self.import_button.setEnabled(preview.has_work)

    # --- step 4: the import ----------------------------------------------------------------

    def commit(self, *, blocking: bool | None = None) -> None:
        """Importeren: everything in one transaction; Annuleren rolls it all back."""
        if self.preview is None or not self.preview.has_work or self._task is not None:
            return
        self.commit_message.clear()
        preview, user, clock, source = self.preview, self.user, self.clock, self.source()
        mapping = self.mapping
        headers = list(self.table.headers) if self.table is not None else []

        def work(progress) -> ConsentImportResult:  # noqa: ANN001 - on the worker thread
            with self.vault.session() as session:
                result = commit_consent_import(session, user, preview, clock=clock,
                                               progress=progress)
                save_consent_mapping(session, user, source, headers, mapping)
            return result

        self._run(work, self._committed, label=self.tr("De keuzes worden vastgelegd…"),
                  blocking=blocking, cancellable=True)

    def _result_text(self, result: ConsentImportResult) -> str:
        lines = [
            plural(result.recorded, self.tr("1 keuze vastgelegd"),
                   self.tr("%1 keuzes vastgelegd")) + " " + plural(
                result.pupils, self.tr("van 1 leerling"), self.tr("van %1 leerlingen")),
        ]
        preview = self.preview
        if preview is not None and preview.conflicts:
            lines.append(plural(len(preview.conflicts),
                                self.tr("1 nieuwere keuze in het register is blijven staan"),
                                self.tr("%1 nieuwere keuzes in het register zijn blijven "
                                        "staan")))
        if result.skipped:
            lines.append(plural(result.skipped,
                                self.tr("1 keuze was intussen al vastgelegd"),
                                self.tr("%1 keuzes waren intussen al vastgelegd")))
        text = "".join(f"<p style='margin: 0 0 8px 0'>•&nbsp;&nbsp;{escape(line)}</p>"
                       for line in lines)
        if preview is not None and (preview.not_found or preview.problem_count):
            text += "<p style='margin-top: 16px'>" + escape(self.tr(
                "Van %1 regels is niets vastgelegd (niet gevonden of met een probleem). Los "
                "dat op en importeer hetzelfde bestand opnieuw: wat nu is vastgelegd, wordt "
                "niet dubbel vastgelegd.").replace(
                "%1", str(len(preview.not_found) + preview.problem_count))) + "</p>"
        text += "<p style='margin-top: 16px'>" + escape(self.tr(
            "Druk de niet-op-de-fotolijst opnieuw af, zodat de leerkrachten de nieuwe keuzes "
            "hebben.")) + "</p>"
        return text

    # --- running work ----------------------------------------------------------------------

    def _failure(self, error: BaseException | None) -> str:
        if isinstance(error, (RegisterError, TableError)):
            return str(error)
        return self.tr("Er ging iets mis bij het lezen of opslaan (%1). Er is niets "
                       "opgeslagen.").replace("%1", type(error).__name__)
