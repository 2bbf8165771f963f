"""The production password hashing: the test run uses cheap Argon2 parameters (tests/conftest),
so the real ones are held here."""

from argon2 import PasswordHasher

from db.users import production_hasher


def test_production_password_hashing_is_argon2id_at_least_at_its_recommended_cost():
    production, recommended = production_hasher(), PasswordHasher()
    assert production.time_cost >= recommended.time_cost >= 2
    assert production.memory_cost >= recommended.memory_cost >= 19 * 1024
    assert production.hash("x").startswith("$argon2id$")
