from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.audit import count_entries, verify_chain
from db.errors import PermissionDenied
from db.permissions import SYSTEM
from db.purposes import current_texts, list_purposes, load_default_purposes, seed_default_purposes
from db.schema import ConsentPurpose, ConsentPurposeText, Role, User
from db.users import create_user


def _beheer(session) -> User:
    return session.scalar(select(User).where(User.username == "beheer"))


def test_default_purposes_cover_the_usual_consent_form():
    purposes = load_default_purposes()
    codes = [p["code"] for p in purposes]
    assert len(codes) == len(set(codes)) >= 8
    assert [p["sort_order"] for p in purposes] == sorted(p["sort_order"] for p in purposes)
    titles = " ".join(p["title"] for p in purposes).lower()
    for words in ("website", "nieuwsbrief", "sociale media", "ouderapp", "schoolfotograaf",
                  "voornaam", "klassenlijst", "ggd"):
        assert words in titles
    images = {p["code"] for p in purposes if p["is_image"]}
    assert {"foto_website", "foto_sociale_media", "foto_ouderapp"} <= images
    assert "klassenlijst_contact" not in images
    assert all(len(p["text"]) > 60 for p in purposes)


def test_seeding_creates_version_one_with_its_text_and_audits_each_write(bare_vault, clock):
    with bare_vault.session() as session:
        before = count_entries(session)
        created = seed_default_purposes(session, _beheer(session), clock=clock)
        assert len(created) == len(load_default_purposes())
        assert all(p.version == 1 and p.created_at == clock() for p in created)
        texts = session.scalars(select(ConsentPurposeText)).all()
        assert {(t.purpose_id, t.version) for t in texts} == {(p.id, 1) for p in created}
        assert count_entries(session) - before == 2 * len(created)
        assert verify_chain(session).ok


def test_seeding_twice_adds_nothing(vault, clock):
    with vault.session() as session:
        seed_default_purposes(session, SYSTEM, clock=clock)
    with vault.session() as session:
        before = count_entries(session)
        assert seed_default_purposes(session, _beheer(session), clock=clock) == []
        assert session.scalar(select(func.count()).select_from(ConsentPurpose)) == len(
            load_default_purposes())
        assert count_entries(session) == before


def test_seeding_leaves_an_existing_purpose_with_that_code_alone(bare_vault, clock):
    with bare_vault.session() as session:
        own = ConsentPurpose(code="foto_website", is_image=True, version=3, sort_order=1,
                             created_at=clock())
        session.add(own)
        session.flush()
        session.add(ConsentPurposeText(purpose_id=own.id, version=3, title="Eigen tekst",
                                       text="Onze eigen formulering.", created_at=clock()))
        created = seed_default_purposes(session, SYSTEM, clock=clock)
        assert "foto_website" not in {p.code for p in created}
        assert session.get(ConsentPurpose, own.id).version == 3


def test_a_teacher_may_not_seed_purposes(vault, clock):
    with vault.session() as session:
        teacher = create_user(session, _beheer(session), "juf", "lang-genoeg", Role.LEERKRACHT,
                              group_name="5A", clock=clock)
        with pytest.raises(PermissionDenied):
            seed_default_purposes(session, teacher, clock=clock)


def test_listing_skips_retired_purposes_and_gives_current_texts(bare_vault, clock):
    with bare_vault.session() as session:
        created = seed_default_purposes(session, SYSTEM, clock=clock)
        created[0].retired_at = clock() + timedelta(days=1)
        session.flush()
        assert created[0] not in list_purposes(session)
        assert created[0] in list_purposes(session, include_retired=True)
        pairs = current_texts(session)
        assert [p.code for p, _ in pairs] == [p.code for p in list_purposes(session)]
        assert all(t.version == p.version and t.title for p, t in pairs)
