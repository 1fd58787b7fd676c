from __future__ import annotations

import pytest

from netops.errors import ConfigError
from netops.store.db import Migration, applied_migrations, open_db

M1 = Migration("0001_t", "CREATE TABLE t (x INTEGER);")
M2 = Migration("0002_trigger", """
CREATE TABLE u (y INTEGER);
CREATE TRIGGER u_no_delete BEFORE DELETE ON u BEGIN SELECT RAISE(ABORT, 'no'); END;
""")


def test_migrations_apply_in_order_once(tmp_path):
    db = tmp_path / "x.sqlite"
    conn = open_db(db, (M1,))
    assert applied_migrations(conn) == ["0001_t"]
    conn.close()
    conn = open_db(db, (M1, M2))
    assert applied_migrations(conn) == ["0001_t", "0002_trigger"]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_foreign_history_refused(tmp_path):
    db = tmp_path / "x.sqlite"
    open_db(db, (M1, M2)).close()
    with pytest.raises(ConfigError, match="does not match"):
        open_db(db, (M2,))
