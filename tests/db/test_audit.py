"""The audit chain: every write leaves an entry; tampering is found and named."""

from sqlalchemy import select, text

from db.audit import ChainHead, chain_head, count_entries, verify_chain
from db.permissions import SYSTEM
from db.schema import AuditEntry
from desktop import cli
from tests.db.helpers import add_family, cli_location, reopen, tamper


def filled(vault, clock, families=3):
    with vault.session() as session:
        for _ in range(families):
            add_family(session, SYSTEM, clock)
    vault.close(backup=False)


def run_verify(vault, capsys, *extra):
    code = cli.main([*cli_location(vault), "verify", *extra])
    return code, capsys.readouterr().out


def test_entries_hold_no_personal_data(vault, clock):
    with vault.session() as session:
        add_family(session, SYSTEM, clock, last_name="Jansen", guardian_first="Fatima")
        rows = session.execute(select(AuditEntry)).scalars().all()
    text = " ".join(f"{r.action} {r.table_name} {r.record_id}" for r in rows)
    assert "Jansen" not in text and "Fatima" not in text
    assert [r.action for r in rows][-3:] == ["pupil.create", "guardian.create", "guardian.link"]


def test_untouched_chain_verifies(vault, clock, capsys):
    with vault.session() as session:
        set_up = count_entries(session)
    filled(vault, clock)
    code, out = run_verify(vault, capsys)
    assert code == 0
    assert f"Auditketen in orde ({set_up + 9} regels)" in out  # pupil, guardian, link


def test_editing_one_entry_makes_verify_fail_and_name_it(vault, clock, capsys):
    filled(vault, clock)
    with tamper(vault) as connection:
        connection.execute(text("UPDATE audit_entry SET record_id = '99' WHERE seq = 5"))
    code, out = run_verify(vault, capsys)
    assert code == 1
    assert "Auditregel 5 is achteraf gewijzigd" in out


def test_removing_an_entry_is_named(vault, clock, capsys):
    filled(vault, clock)
    with tamper(vault) as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE seq = 4"))
    code, out = run_verify(vault, capsys)
    assert code == 1
    assert "Auditregel 4 ontbreekt" in out


def test_an_entry_inserted_out_of_turn_is_named(vault, clock):
    """Someone rewrites entry 6 with a self-consistent hash: the link to 7 breaks."""
    from db.audit import entry_hash

    filled(vault, clock)
    vault_again = reopen(vault)
    with vault_again.session() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.seq == 6))
        forged = entry_hash(6, entry.at, None, "pupil.read", "pupil", "1", entry.prev_hash)
    vault_again.close(backup=False)
    with tamper(vault) as connection:
        connection.execute(text(
            "UPDATE audit_entry SET action='pupil.read', table_name='pupil', record_id='1', "
            "user_id=NULL, digest=NULL, hash=:forged WHERE seq = 6"), {"forged": forged})
    vault_again = reopen(vault)
    with vault_again.session() as session:
        report = verify_chain(session)
    vault_again.close(backup=False)
    assert not report.ok and report.first_bad_seq == 7
    assert "sluit niet aan" in report.message


def test_verify_against_an_earlier_head_catches_a_recomputed_chain(vault, clock, capsys):
    from db.audit import GENESIS, entry_hash

    filled(vault, clock, families=2)
    again = reopen(vault, as_owner=True)  # on the server the application role may not
    with again.session() as session:
        head = chain_head(session)
        rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
        # whoever holds the key rewrites history and recomputes every hash
        prev = GENESIS
        for row in rows:
            # (a changed record id would also show in the content check: change the action)
            row.action = "pupil.open" if row.seq == 3 else row.action
            row.prev_hash = prev
            row.hash = entry_hash(row.seq, row.at, row.user_id, row.action, row.table_name,
                                  row.record_id, prev, row.digest)
            prev = row.hash
    again.close(backup=False)
    code, out = run_verify(vault, capsys)
    assert code == 0  # internally consistent...
    code, out = run_verify(vault, capsys, "--against", str(head))
    assert code == 1  # ...but it no longer holds the head written beside the backup
    assert f"Auditregel {head.seq} verschilt van de eerder vastgelegde ketenkop" in out


def test_verify_against_a_head_the_chain_never_reached(vault, clock, capsys):
    filled(vault, clock)
    code, out = run_verify(vault, capsys, "--against", str(ChainHead(500, "a" * 64)))
    assert code == 1 and "komt niet meer voor" in out
