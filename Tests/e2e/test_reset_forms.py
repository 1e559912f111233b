"""Every POST form on the account pages carries its anti-CSRF token (the server refuses forms
without one, so a page that lost it breaks the reset for everyone)."""
import pytest

from tour import ACCOUNT_PAGES


@pytest.mark.parametrize("kind", ACCOUNT_PAGES)
def test_post_forms_carry_csrf_token(tour, kind):
    visit = tour.visit(kind)
    assert not visit.unprotected_forms, (
        f"the {kind} page ({visit.url}) has a POST form without an anti-CSRF token field (input name=csrf): "
        + ", ".join(visit.unprotected_forms))
