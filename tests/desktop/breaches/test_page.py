"""The breach register: the 72-hour column (short status, the full sentence as its tooltip),
one urgency colour, the description giving way, filters, printing, attention."""

from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from db.breaches import BreachInput, assess, record_notification, register_breach
from db.clock import fixed_clock
from db.schema import Risk
from desktop.breaches.page import DEADLINE_COLUMN, DESCRIPTION_COLUMN, BreachesPage
from desktop.kit.page import AreaContext
from desktop.kit.table import AMBER_BACKGROUND, RED_BACKGROUND


def make_page(qtbot, vault, user, clock) -> BreachesPage:
    page = BreachesPage(AreaContext(vault, user, "OBS De Klimop", "12AB", clock=clock))
    qtbot.addWidget(page)
    page.resize(1150, 690)
    page.show()
    return page


def rows_by_description(page) -> dict[str, int]:
    model = page.table.model
    return {model.row_at(r).row.description: r for r in range(model.rowCount())}


def two_breaches(vault, staff, clock) -> None:
    with vault.session() as session:
        register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC), description="Oud lek"),
            clock=clock)
        register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC), description="Nieuw lek"),
            clock=clock)


def test_register_view_marks_overdue_breaches_and_prints(qtbot, vault, clock, staff, boxes,
                                                         save_as, qtmodeltester):
    two_breaches(vault, staff, clock)
    view = make_page(qtbot, vault, staff["office"], clock)
    qtmodeltester.check(view.table.model)
    rows = rows_by_description(view)
    old = view.table.model.index(rows["Oud lek"], DEADLINE_COLUMN)
    fresh = view.table.model.index(rows["Nieuw lek"], DEADLINE_COLUMN)
    assert old.data() == "te laat (25 uur)"
    assert old.data(Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND
    assert fresh.data() == "nog 70 uur"
    assert fresh.data(Qt.ItemDataRole.BackgroundRole) is None
    assert "1 met verlopen termijn" in view.count_label.text()
    view.overdue.setChecked(True)
    assert view.table.count() == 1
    later = make_page(qtbot, vault, staff["office"], fixed_clock(clock() + timedelta(hours=50)))
    later_rows = rows_by_description(later)
    assert later.table.model.index(later_rows["Nieuw lek"], DEADLINE_COLUMN).data(
        Qt.ItemDataRole.BackgroundRole) == AMBER_BACKGROUND  # under 24 hours left
    task = view.print_register(period=(date(2026, 1, 1), date(2026, 12, 31)))
    assert task is not None and task.wait()
    qtbot.waitUntil(lambda: bool(boxes["saved"]), timeout=20_000)
    text, path = boxes["saved"][0]
    assert "niet versleuteld" in text and path.suffix == ".pdf"
    pdf = PdfReader(path).pages[0].extract_text()
    assert "DL-2026-001" in pdf and "DL-2026-002" in pdf


def test_the_72_hour_column_is_short_with_the_sentence_as_tooltip(qtbot, vault, clock,
                                                                  staff):
    with vault.session() as session:
        register_breach(session, staff["office"], BreachInput(
            discovered_at=clock() - timedelta(hours=33), description="Loopt nog"), clock=clock)
        decided = register_breach(session, staff["office"], BreachInput(
            discovered_at=clock() - timedelta(hours=10), description="Besluit"), clock=clock)
        assess(session, staff["office"], decided.id, risk=Risk.NONE, reasons="versleuteld",
               notify_ap=False, notify_reason="geen risico", clock=clock)
        late = register_breach(session, staff["office"], BreachInput(
            discovered_at=clock() - timedelta(hours=100), description="Te laat gemeld"),
            clock=clock)
        record_notification(session, staff["office"], late.id,
                            notified_at=clock() - timedelta(hours=20), ap_reference="AP-9",
                            late_reason="Vakantie.", clock=clock)
        register_breach(session, staff["office"], BreachInput(
            discovered_at=clock() - timedelta(hours=80), description="Verlopen\ntweede regel"),
            clock=clock)
    page = make_page(qtbot, vault, staff["office"], clock)
    model, rows = page.table.model, rows_by_description(page)

    def cell(description, role=Qt.ItemDataRole.DisplayRole, column=DEADLINE_COLUMN):
        return model.index(rows[description], column).data(role)

    assert cell("Loopt nog") == "nog 39 uur"
    assert cell("Verlopen\ntweede regel") == "te laat (8 uur)"
    assert cell("Besluit") == "niet gemeld: besluit"
    assert cell("Te laat gemeld") == "te laat gemeld (8 uur)"
    tip = cell("Loopt nog", Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Er is nog 39 uur om te melden bij de Autoriteit Persoonsgegevens")
    assert "uiterlijk 26-11-2026 01:30" in tip
    assert "8 uur geleden verstreken" in cell("Verlopen\ntweede regel",
                                              Qt.ItemDataRole.ToolTipRole)
    assert "geen meldplicht" in cell("Besluit", Qt.ItemDataRole.ToolTipRole)
    # the description shows its first line and gives way; the countdown keeps its width
    assert cell("Verlopen\ntweede regel", column=DESCRIPTION_COLUMN) == "Verlopen"
    header = page.table.view.horizontalHeader()
    assert header.sectionResizeMode(DESCRIPTION_COLUMN) == QHeaderView.ResizeMode.Stretch
    assert not header.stretchLastSection()
    assert header.sectionSize(DEADLINE_COLUMN) >= 150
    # one urgency definition: red overdue, amber under a day, none otherwise
    assert cell("Verlopen\ntweede regel", Qt.ItemDataRole.BackgroundRole) == RED_BACKGROUND
    assert cell("Loopt nog", Qt.ItemDataRole.BackgroundRole) is None
    assert cell("Besluit", Qt.ItemDataRole.BackgroundRole) is None
    assert cell("Te laat gemeld", Qt.ItemDataRole.BackgroundRole) is None


def test_filters_by_year_and_status_and_the_count(qtbot, vault, clock, staff):
    two_breaches(vault, staff, clock)
    with vault.session() as session:
        register_breach(session, staff["office"], BreachInput(
            discovered_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC),  # 1 January in A'dam
            description="Nieuwjaarsnacht"), clock=clock)
    page = make_page(qtbot, vault, staff["office"], clock)
    assert [page.year.itemData(i) for i in range(page.year.count())] == [None, 2026]
    assert page.count_label.text().startswith("3 datalekken")
    page.year.setCurrentIndex(page.year.findData(2026))
    assert page.table.count() == 3
    page.status.setCurrentIndex(page.status.findData("closed"))
    assert page.table.count() == 0 and page.table.empty_label.isVisibleTo(page)
    assert page.count_label.text() == "0 datalekken"


def test_roles_see_disabled_buttons_with_the_reason_and_no_reports_tab(qtbot, vault, clock,
                                                                     staff):
    from sqlalchemy import select

    from db.schema import Role, User
    from db.users import create_user

    with vault.session() as session:
        admin = session.scalar(select(User).where(User.username == "beheer"))
        fg = create_user(session, admin, "fg", "wachtwoord-1", Role.FG, clock=clock)
        teacher = create_user(session, admin, "juf", "wachtwoord-1", Role.LEERKRACHT,
                              group_name="5A", clock=clock)
    page = make_page(qtbot, vault, fg, clock)
    assert not page.buttons["register"].isEnabled()
    assert page.buttons["register"].toolTip().endswith("mogen datalekken registreren.")
    assert page.reports is None and page.buttons["print"].isEnabled()
    office = make_page(qtbot, vault, staff["office"], clock)
    assert office.reports is not None and office.tabs.count() == 2
    assert office.tabs.tabText(1) == "Kwetsbaarheidsmeldingen"
    locked = make_page(qtbot, vault, teacher, clock)
    assert locked.locked_label.isVisible() and "niet inzien" in locked.locked_label.text()


def test_attention_names_overdue_and_running_breaches(vault, clock, staff):
    from types import SimpleNamespace

    two_breaches(vault, staff, clock)
    context = SimpleNamespace(user=staff["director"], clock=clock)
    with vault.session() as session:
        items = BreachesPage.attention(context, session)
    assert [(a.level, a.text) for a in items] == [
        ("todo", "Datalek DL-2026-002: nog 70 uur om te melden."),  # amber: the last 24
        ("late", "Datalek DL-2026-001: de 72-uurstermijn is verstreken zonder melding bij de "
                 "AP.")]
    assert all(a.area == "breaches" for a in items)
