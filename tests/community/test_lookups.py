from bot.community.lookups import LookupCounts

DEFAULTS = ("prednisone", "methotrexate", "azathioprine")


def test_a_new_server_gets_the_defaults() -> None:
    assert LookupCounts().most_asked(1, DEFAULTS) == DEFAULTS


def test_most_asked_first_then_defaults_without_repeats_and_per_server() -> None:
    counts = LookupCounts()
    for drug in ("tacrolimus", "azathioprine", "tacrolimus"):
        counts.record(1, drug)
    counts.record(2, "warfarin")
    assert counts.most_asked(1, DEFAULTS) == ("tacrolimus", "azathioprine", "prednisone", "methotrexate")
    assert counts.most_asked(2, DEFAULTS, limit=2) == ("warfarin", "prednisone")


def test_direct_messages_are_not_counted() -> None:
    counts = LookupCounts()
    counts.record(None, "warfarin")
    assert counts.most_asked(None, DEFAULTS) == DEFAULTS
