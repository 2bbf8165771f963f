"""The register on a PostgreSQL server (db/server.py), against the run's throw-away server."""

import psycopg
import pytest

from tests.support.postgres import APPLICATION, _write_certificates


def test_the_test_server_speaks_tls_verified_by_its_own_ca_only(postgres_server, tmp_path):
    with postgres_server.connect() as admin:
        ssl, version = admin.execute(
            "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()
        superuser = admin.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s",
                                  (APPLICATION,)).fetchone()[0]
    assert ssl and version.startswith("TLS")
    assert superuser is False
    another_ca = _write_certificates(tmp_path)  # a CA that did not sign the server's cert
    with pytest.raises(psycopg.OperationalError, match="certificate verify failed"):
        psycopg.connect(host=postgres_server.host, port=postgres_server.port, dbname="postgres",
                        user=APPLICATION, password=postgres_server.application_password,
                        sslmode="verify-full", sslrootcert=str(another_ca), connect_timeout=5)
