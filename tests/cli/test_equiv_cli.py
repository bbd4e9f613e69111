"""``calctutor equiv`` end to end."""


def test_equivalent_exit_0_and_json(cli):
    r = cli("equiv", "sin(x)^2 + cos(x)^2", "1", "--format", "json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["equivalent"] is True and isinstance(d["method"], str)


def test_not_equivalent_exit_1_with_evidence(cli):
    r = cli("equiv", "sqrt(x^2)", "x", "--format", "json")
    assert r.code == 1, r.err
    d = r.json()
    assert d["equivalent"] is False and d["evidence"]


def test_abs_is_sqrt_of_square(cli):
    assert cli("equiv", "sqrt(x^2)", "|x|").code == 0


def test_positive_assumption(cli):
    assert cli("equiv", "ln(x y)", "ln x + ln y", "--positive").code == 0


def test_bad_input_exit_2(cli):
    r = cli("equiv", "x +", "x")
    assert r.code == 2 and r.err.startswith("Error: ")
