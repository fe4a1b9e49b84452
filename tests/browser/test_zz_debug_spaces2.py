import pytest
from django.conf import settings
from django.urls import reverse

from councils.models import Membership, Role

from .test_layout import demo, sized  # noqa: F401
from .conftest import browser  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_debug(demo, sized):  # noqa: F811
    seat = Membership.objects.get(user__username="kpr-koordination", role=Role.COUNCIL_COORDINATOR)
    sized.log_in("kpr-koordination", settings.DEMO_PASSWORD)
    sized.goto(reverse("councils:organisation_detail", args=[seat.organisation_id]))
    sized.goto("/dashboard/")
    wide = sized.page.evaluate("""() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 15).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent||'').slice(0,60).replace(/\\s+/g,' '))""")
    print("\\nWIDE", sized.page.viewport_size, "\\n".join(wide))
    assert False
