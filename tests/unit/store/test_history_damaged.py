"""A damaged history database (helper "trial15", 2026-12-03): `netops ask` stopped with exit 2 on it
('cannot open history database ...: file is not a database'), and a file damaged past its first page
opened and took new rows. Now opening it is refused before anything is written (PRAGMA quick_check),
the file is left byte for byte, and the answer is still given with one warning line saying it was
not saved and how to fix it."""

from __future__ import annotations

import pytest

from netops.errors import ConfigError
from netops.store.history import History


def _damaged(path, how):
    with History(path) as h:
        for i in range(12):
            cid = h.new_conversation(f"question {i}")
            h.append(cid, "user", "bgp neighbours on r1 " * 100)
            h.append(cid, "assistant", "r1 has two peers, both Established. " * 100)
    data = path.read_bytes()
    if how == "not a database":
        data = b"this is not a database\n" * 400
    else:  # a page in the middle overwritten: the header still reads as SQLite
        data = data[:4096 * 2] + b"\xa5" * 4096 + data[4096 * 3:]
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("how", ["not a database", "a page overwritten"])
def test_a_damaged_file_is_refused_before_anything_is_written(tmp_path, how):
    path = tmp_path / "history.sqlite"
    before = _damaged(path, how)
    with pytest.raises(ConfigError) as err:
        History(path)
    assert "move it aside" in err.value.hint and str(path) in err.value.hint
    assert path.read_bytes() == before
