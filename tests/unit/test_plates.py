from board.domain.plates import normalise


def test_plates_typed_any_way_normalise_to_one_form():
    assert normalise("粤A·12345") == "粤A12345"
    assert normalise("粵a 12345") == "粤A12345"
    assert normalise("ＡＢ－１２３") == "AB123"
    assert normalise("粤b.3k7-l9") == "粤B3K7L9"
