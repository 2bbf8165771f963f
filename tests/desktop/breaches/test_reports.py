"""Vulnerability reports (kwetsbaarheidsmeldingen): register, reply, fix, link to a breach."""

from datetime import timedelta

from PySide6.QtCore import Qt
from sqlalchemy import select

from db.breaches import BreachInput, register_breach


def test_vulnerability_reports_register_reply_and_fix(qtbot, vault, clock, staff):
    from db.vulnerabilities import ReportInput
    from desktop.breaches.reports import VulnerabilityReportsView

    view = VulnerabilityReportsView(vault, staff["office"], clock)
    qtbot.addWidget(view)
    assert view.register(ReportInput(received_at=clock() - timedelta(days=4),
                                     description="Open map op de website"))
    index = view.model.index(0, 2)
    assert index.data() == "nog niet beantwoord"
    assert view.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # late
    view.table.view.selectRow(0)
    qtbot.keyClicks(view.assessment, "Terecht; map afgesloten")
    qtbot.keyClicks(view.fix_date, "01-12-2026")
    assert view.save_assessment() and view.acknowledge_now()
    assert view.model.index(0, 2).data() == "in behandeling"
    assert view.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    view.fix_date.clear()
    qtbot.keyClicks(view.fix_date, "01-01-2020")
    assert not view.save_assessment() and "vóór de melding" in view.error.text()
    assert view.fixed_now() and view.model.index(0, 2).data() == "opgelost"


def test_a_report_that_exposed_data_is_linked_to_its_breach(qtbot, vault, clock, staff):
    from db.schema import VulnerabilityReport
    from db.vulnerabilities import ReportInput
    from desktop.breaches.reports import VulnerabilityReportsView

    with vault.session() as session:
        breach = register_breach(session, staff["office"], BreachInput(
            discovered_at=clock() - timedelta(hours=2), description="Map open"), clock=clock)
    view = VulnerabilityReportsView(vault, staff["office"], clock)
    qtbot.addWidget(view)
    assert view.register(ReportInput(received_at=clock() - timedelta(hours=3),
                                     description="Open map"))
    view.table.view.selectRow(0)
    view.breach.setCurrentIndex(view.breach.findData(breach.id))
    assert view.link()
    with vault.session() as session:
        assert session.scalar(select(VulnerabilityReport.breach_id)) == breach.id
