"""The bill and the next service at hand-over, as rules."""

from datetime import date

from board.domain import handover
from board.domain.handover import Labour, Part


def test_labour_is_the_advisors_price_or_the_hours_at_the_shops_rate():
    assert handover.labour_price(Labour(1.5, None), 180) == 270.0
    assert handover.labour_price(Labour(1.5, 200.0), 180) == 200.0
    assert handover.labour_amount([Labour(1.0, None), Labour(0.3, None), Labour(2.0, 99.9)], 180) == 333.9


def test_parts_are_quantity_times_price_to_the_fen():
    assert handover.part_amount(Part(4, 72.5)) == 290.0
    assert handover.parts_amount([Part(1, 58.0), Part(3, 0.1), Part(1, 420.0)]) == 478.3


def test_the_next_service_is_the_menus_interval_else_six_months_and_5000_km():
    assert handover.next_service(date(2026, 11, 23), 42_180) == handover.NextService(date(2027, 5, 23), 47_180)
    assert handover.next_service(date(2026, 11, 23), None, 12, 10_000) == handover.NextService(date(2027, 11, 23), None)


def test_a_month_later_on_a_shorter_month_is_its_last_day():
    assert handover.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert handover.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert handover.add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
