"""Plate normalising and parsing, with properties that must hold for any input."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from board.domain.masking import masked_plate
from board.domain.plates import normalise, parse


def test_plates_typed_any_way_normalise_to_one_form():
    assert normalise("粤A·12345") == "粤A12345"
    assert normalise("粵a 12345") == "粤A12345"
    assert normalise("ＡＢ－１２３") == "AB123"
    assert normalise("粤b.3k7-l9") == "粤B3K7L9"


@pytest.mark.parametrize(("typed", "kind", "text"), [
    ("粤A12345", "regular", "粤A12345"),
    ("粤AD12345", "new_energy", "粤AD12345"),
    ("粤A12345F", "new_energy", "粤A12345F"),
    ("粤A1234警", "suffixed", "粤A1234警"),
    ("粤B1234學", "suffixed", "粤B1234学"),
    ("粤Z1234港", "suffixed", "粤Z1234港"),
    ("粤A1234应急", "suffixed", "粤A1234应急"),
    ("使123456", "embassy", "使123456"),
    ("A12345", "no_province", "A12345"),
    ("B-123-XYZ", "unknown", "B123XYZ"),  # a foreign plate: kept as typed, normalised
    ("临时 4403", "unknown", "临时4403"),  # a paper plate
])
def test_plate_kinds(typed, kind, text):
    plate = parse(typed)
    assert (plate.kind, plate.text) == (kind, text)


def test_i_and_o_become_1_and_0_only_in_a_mainland_serial():
    assert normalise("粤AI2O45") == "粤A12045"
    assert normalise("OSLO123") == "OSLO123"  # not a mainland plate: as typed


@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing(text):
    assert normalise(normalise(text)) == normalise(text)


@given(st.text(max_size=40))
def test_a_masked_plate_never_shows_more_than_four_characters(text):
    shown = [c for c in masked_plate(text) if c not in "*·"]
    assert len(shown) <= 4
