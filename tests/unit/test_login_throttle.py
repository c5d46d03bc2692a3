"""The login throttle: a name mistyped too often waits; one address trying many names waits too."""

from board.auth.throttle import LoginThrottle


def test_five_failures_for_a_name_hold_it_for_the_rest_of_ten_minutes():
    throttle = LoginThrottle()
    for n in range(5):
        assert throttle.wait_s("linna", "10.0.0.7", 100.0 + n) == 0
        throttle.failed("LinNa", "10.0.0.7", 100.0 + n)  # names are counted whatever their case
    assert throttle.wait_s("linna", "10.0.0.9", 104.0) == 600.0 - 4.0  # from any address
    assert throttle.wait_s("chenjing", "10.0.0.9", 104.0) == 0  # another person is not held
    assert throttle.wait_s("linna", "10.0.0.9", 700.0) == 0  # the oldest failure has aged out


def test_a_success_clears_the_names_failures_but_not_the_addresss():
    throttle = LoginThrottle(per_address=6)
    for n in range(4):
        throttle.failed("linna", "10.0.0.7", float(n))
    throttle.succeeded("linna")
    assert throttle.wait_s("linna", "10.0.0.7", 5.0) == 0
    throttle.failed("x", "10.0.0.7", 5.0)
    throttle.failed("y", "10.0.0.7", 6.0)
    assert throttle.wait_s("someone", "10.0.0.7", 7.0) == 600.0 - 7.0  # six failures from one address: it waits
