"""Issue 18, in the suite: the office's round (tests/support/office_day.py, the round the soak
benchmark repeats a thousand times) run 20 times through the real main window on a small demo
school. Once the areas are built, a round leaves nothing behind: the live widgets, the
top-level windows and the open files after round 20 are what they were after round 5."""

from __future__ import annotations

from desktop.main_window import MainWindow
from tests.support.office_day import OfficeDay, census, process_deletes


def test_twenty_office_rounds_leave_no_widget_window_or_file_behind(
        qtbot, monkeypatch, tmp_path, clock):
    from db.demo import create_demo_vault
    from db.users import authenticate

    vault = create_demo_vault(tmp_path / "demo.db", backup_dir=tmp_path / "backups",
                              pupils=60, clock=clock)
    with vault.session() as session:
        office = authenticate(session, "administratie", "demo-admin", clock=clock)
    window = MainWindow(vault, office, clock=clock)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    process_deletes()
    day = OfficeDay(window, tmp_path, monkeypatch.setattr, print_every=10,
                    searches=("jan", "de v", "bak"))  # short words: under 15 s
    try:
        counts = {}
        for number in range(1, 21):
            day.run_round()
            if number in (5, 20):
                counts[number] = census()
        after_5, after_20 = counts[5], counts[20]  # round 1 printed: its worker has run
        assert after_20["widgets"] == after_5["widgets"]
        assert after_20["top_levels"] == after_5["top_levels"]
        assert after_20["files"] <= after_5["files"]
        # the round really went through the windows it is about
        assert (day.cards_opened, day.special_tabs_shown, day.details_opened, day.prints) \
            == (20, 20, 20, 2)
        assert day.boxes_closed == 2  # the 'Klaar' box after each print
        assert len(list(tmp_path.glob("*.pdf"))) == 2  # rounds 1 and 11, two groups
    finally:
        window.close()
        vault.engine.dispose()
