"""Matching a reading to today's bookings: each rule, and never a wrong automatic acceptance."""

from datetime import date, time

from board.domain.matching import Booking, BookingIndex, Decision, Rule, match

TODAY = date(2026, 11, 24)


def book(n, plate, model="凯美瑞 Camry", day=TODAY, at=time(10)):
    return Booking(n, plate, model, day, at, "陈静")


def run(reading, bookings, model=None, other=()):
    return match(reading, model, BookingIndex(bookings), BookingIndex(other))


def test_exact_after_normalising_is_accepted():
    m = run("粤a·12345", [book(1, "粤A12345"), book(2, "粤B55555")])
    assert (m.decision, m.rule, m.accepted.id) == (Decision.ACCEPT, Rule.EXACT, 1)


def test_one_confusable_character_is_accepted_when_alone():
    m = run("粤B8888B", [book(1, "粤B88888"), book(2, "粤A12345")])
    assert (m.decision, m.rule, m.accepted.id) == (Decision.ACCEPT, Rule.CONFUSABLE, 1)


def test_a_look_alike_province_is_accepted_when_alone():
    m = run("鄂A12345", [book(1, "粤A12345")])
    assert (m.decision, m.rule, m.accepted.id) == (Decision.ACCEPT, Rule.PROVINCE, 1)


def test_a_missing_province_is_accepted_when_alone():
    m = run("A12345", [book(1, "粤A12345"), book(2, "粤B12345")])
    assert (m.decision, m.rule, m.accepted.id) == (Decision.ACCEPT, Rule.NO_PROVINCE, 1)


def test_the_same_serial_in_two_provinces_is_asked_not_guessed():
    m = run("A12345", [book(1, "粤A12345"), book(2, "湘A12345", model="雷凌 Levin")])
    assert m.decision is Decision.ASK and m.accepted is None
    assert {c.booking.id for c in m.candidates} == {1, 2}


def test_the_model_settles_between_two_candidates():
    m = run("A12345", [book(1, "粤A12345"), book(2, "湘A12345", model="雷凌 Levin")], model="levin")
    assert (m.decision, m.rule, m.accepted.id) == (Decision.ACCEPT, Rule.MODEL, 2)


def test_a_read_between_near_twins_accepts_neither():
    # 粤A012345 is one confusable from 粤AD12345 and one character too many for 粤A12345.
    m = run("粤A012345", [book(1, "粤A12345"), book(2, "粤AD12345", model="bZ4X")])
    assert m.decision in (Decision.ASK, Decision.OFFER) and m.accepted is None
    assert {c.booking.id for c in m.candidates} == {1, 2}


def test_a_confusable_slip_with_another_booking_close_by_is_asked():
    m = run("粤B8888B", [book(1, "粤B88888"), book(2, "粤B88886")])
    assert m.decision is Decision.ASK and {c.booking.id for c in m.candidates} == {1, 2}


def test_a_plainly_wrong_character_is_offered_never_accepted():
    m = run("粤A12945", [book(1, "粤A12345")])
    assert (m.decision, m.rule, m.accepted) == (Decision.OFFER, Rule.ONE_EDIT, None)
    assert [c.booking.id for c in m.candidates] == [1]


def test_missing_extra_and_swapped_characters_are_offered():
    bookings = [book(1, "粤A12345")]
    for reading in ("粤A1245", "粤A123456", "粤A21345"):
        m = run(reading, bookings)
        assert m.decision is Decision.OFFER and m.accepted is None, reading


def test_only_the_last_digits_typed_are_offered():
    m = run("2345", [book(1, "粤A12345"), book(2, "粤B92345"), book(3, "粤C11111")])
    assert m.decision is Decision.OFFER and {c.booking.id for c in m.candidates} == {1, 2}


def test_even_with_the_model_an_offer_is_not_accepted():
    m = run("粤A12945", [book(1, "粤A12345")], model="Camry")
    assert m.decision is Decision.OFFER and m.accepted is None


def test_a_plate_booked_for_another_day_says_so():
    m = run("粤A12345", [book(1, "粤B55555")], other=[book(9, "粤A12345", day=date(2026, 11, 25), at=time(10))])
    assert m.decision is Decision.OTHER_DAY and m.accepted is None
    assert m.candidates[0].booking.id == 9
    assert "2026-11-25 10:00" in m.sentence()[0]


def test_nothing_close_is_a_walk_in():
    assert run("粤E99999", [book(1, "粤A12345")]).decision is Decision.WALK_IN


def test_a_foreign_or_paper_plate_is_only_accepted_when_exact():
    bookings = [book(1, "B123XYZ")]
    assert run("b-123-xyz", bookings).decision is Decision.ACCEPT
    assert run("B123XY2", bookings).decision is Decision.OFFER  # would be a confusable on a mainland plate


def test_garbage_is_never_a_match():
    bookings = [book(1, "粤A12345")]
    for garbage in ("", " ", "x" * 300, "<script>alert(1)</script>", "'; DROP TABLE vehicles; --", "🚗🚗🚗"):
        m = run(garbage, bookings)
        assert m.accepted is None and m.decision in (Decision.NONE, Decision.WALK_IN), garbage
