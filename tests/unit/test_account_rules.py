"""Who may manage whose account: the table in board/auth/roles.py, walked whole."""

import itertools

import pytest

from board.auth.roles import AccountAction, AccountKind, may_manage

GROUP, SHOP, STAFF = AccountKind.GROUP_ADMIN, AccountKind.SHOP_ADMIN, AccountKind.STAFF


@pytest.mark.parametrize(("actor", "target"), list(itertools.product(AccountKind, AccountKind)))
@pytest.mark.parametrize("action", list(AccountAction))
def test_the_matrix(actor, target, action):
    same_shop = may_manage(actor, 1, action, target, 1)
    other_shop = may_manage(actor, 1, action, target, 2)
    if actor is GROUP:
        assert same_shop and other_shop  # the group admin manages everyone, everywhere
    elif actor is SHOP and target is STAFF:
        assert same_shop and not other_shop  # a shop admin manages his own shop's staff only
    else:
        assert not same_shop and not other_shop  # nobody else manages admins; staff manage nobody


def test_a_shop_admin_can_neither_touch_nor_make_a_group_admin():
    assert not may_manage(SHOP, 1, AccountAction.RESET, GROUP, None)
    assert not may_manage(SHOP, 1, AccountAction.CREATE, SHOP, 1)
