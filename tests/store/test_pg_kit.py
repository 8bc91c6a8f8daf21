"""The throwaway PostgreSQL of the cluster tests: skips or fails as promised, and is gone afterwards."""

from __future__ import annotations

import pytest

from tests import pg_kit


def test_without_postgres_a_test_skips_and_in_ci_it_fails(monkeypatch):
    monkeypatch.setattr(pg_kit, "find_bin_dir", lambda: None)
    monkeypatch.delenv(pg_kit.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install postgresql"):
        pg_kit.require_postgres()
    monkeypatch.setenv(pg_kit.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="INSATSKOLLEN_REQUIRE_CLUSTER=1"):
        pg_kit.require_postgres()


def test_the_database_is_the_apps_own_on_loopback_and_removed_on_exit():
    pg_kit.require_postgres()
    import sqlalchemy as sa

    with pg_kit.throwaway_postgres() as server:
        engine = sa.create_engine(server.url, poolclass=sa.pool.NullPool)
        with engine.begin() as connection:
            connection.execute(sa.text("create table scenarios (name text)"))  # the app may create tables
            connection.execute(sa.text("insert into scenarios values ('Läxhjälp i Navestad')"))
            row = connection.execute(
                sa.text(
                    "select name, current_user, current_setting('listen_addresses'), "
                    "(select rolsuper from pg_roles where rolname = current_user), "
                    "pg_encoding_to_char(encoding) from scenarios, pg_database where datname = current_database()"
                )
            ).one()
        engine.dispose()
        root = server.root
    assert tuple(row) == ("Läxhjälp i Navestad", "insatskollen", "127.0.0.1", False, "UTF8")
    assert not root.exists()
