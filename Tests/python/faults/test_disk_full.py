"""Orders' SQLite disk fills up under load: CreateOrder fails with RESOURCE_EXHAUSTED naming
the disk, nothing acknowledged is lost, the file passes `PRAGMA integrity_check`, and creates
succeed again as soon as space is freed."""
import sqlite3

from faults import history, scenario
from faults.disk import small_disk
from faults.load import History, Load


def test_sqlite_disk_full(net, tmp_path):
    history_ = History()
    with small_disk() as disk:
        orders_file = disk.path / "orders.db"
        stores = history.Stores(orders_file, tmp_path / "payments.db")
        with scenario.system(net, tmp_path, orders_db=f"sqlite:{orders_file}", stores=stores) as system:
            filled = {}
            result = scenario.run(
                "sqlite-disk-full", "Orders' SQLite filesystem full (tmpfs filled), then space freed", system,
                inject=lambda: filled.update(bytes=disk.fill()), heal=disk.free,
                load=Load(system.orders.address, history_, workers=3, rate=3.0, deadline=3.0), history_=history_)
        integrity = sqlite3.connect(orders_file).execute("PRAGMA integrity_check").fetchall()
    scenario.assert_clean(result)
    assert integrity == [("ok",)], integrity
    failed = [c for c in history_.snapshot() if c.kind == "create" and c.code != "OK"]
    assert failed, "the full disk refused nothing"
    assert {c.code for c in failed} == {"RESOURCE_EXHAUSTED"}, {(c.code, c.message) for c in failed}
    assert all("disk" in c.message for c in failed), {c.message for c in failed}
