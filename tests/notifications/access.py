"""Permission-matrix rules of the notifications."""

from tests.access import Rule, signed_in

ACCESS: dict[str, Rule] = {
    "notifications:list": Rule(own=signed_in(200)),
}
