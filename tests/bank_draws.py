"""The bank's variants, each drawn and checked once per test session.

Several test files check the same variants (every template's first seeds), and solving them
is most of what those tests cost, so they share this memo. An entry is exactly what
``check_variant(instantiate(template, seed), template)`` gives; a crash while checking is
recorded in ``validate.CRASHES`` as always, so it fails the test that drew the variant first.
"""

_MEMO: dict = {}


def checked(template, seed: int):
    """(the drawn exercise, its problems, the solved exercise or None) of variant ``seed``."""
    from calctutor.drills import instantiate
    from calctutor.drills.validate import check_variant

    # the template's repr, not the object: a reloaded bank has new, equal templates, and a
    # teacher's bank in a test's tmp_path has another file in it
    key = (repr(template), seed)
    if key not in _MEMO:
        ex = instantiate(template, seed)
        _MEMO[key] = (ex, *check_variant(ex, template))
    return _MEMO[key]
