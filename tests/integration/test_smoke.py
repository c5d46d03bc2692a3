from tests.conftest import add_staff, booking


def test_book_and_see_on_board(shop):
    add_staff(shop)
    appt = shop.ok("POST", "/appointments", booking("2026-11-23", "10:00"))
    board = shop.ok("GET", "/appointment-board")
    today = next(c for c in board["columns"] if c["key"] == "today")
    assert [c["id"] for c in today["cards"]] == [appt["id"]]
