"""``calctutor equiv`` end to end: the wording of each verdict, its JSON and its exit code
(0 equal, proved or tested; 1 not equal; 2 undecided or bad input)."""

import sympy as sp


def test_equivalent_exit_0_and_json(cli):
    r = cli("equiv", "sin(x)^2 + cos(x)^2", "1", "--format", "json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["equivalent"] is True and isinstance(d["method"], str)
    assert d["verdict"] == "proved" and d["summary"].startswith("proved equal: the difference")


def test_not_equivalent_exit_1_with_evidence(cli):
    r = cli("equiv", "sqrt(x^2)", "x", "--format", "json")
    assert r.code == 1, r.err
    d = r.json()
    assert d["equivalent"] is False and d["evidence"]
    assert (d["verdict"], d["evidence_kind"]) == ("differ", "counterexample")


def test_abs_is_sqrt_of_square(cli):
    r = cli("equiv", "sqrt(x^2)", "|x|", "--format", "json")
    assert r.code == 0 and (r.json()["verdict"], r.json()["evidence_kind"]) == ("proved", "identical")


def test_positive_assumption(cli):
    assert cli("equiv", "ln(x y)", "ln x + ln y", "--positive").code == 0


def test_bad_input_exit_2(cli):
    r = cli("equiv", "x +", "x")
    assert r.code == 2 and r.err.startswith("Error: ")


def test_proved_wording(cli):
    r = cli("equiv", "tanh(x)", "1 - 2/(e^(2x)+1)", "--format", "plain")
    assert r.code == 0
    assert "YES - Equivalent (proved). A and B are equal wherever A is defined: the difference" in r.out


def test_tested_wording(cli):
    r = cli("equiv", "asin(x) + acos(x)", "pi/2", "--format", "plain")
    assert r.code == 0
    assert "YES - Equal at every point tested." in r.out
    assert "points, x from -1 to 1, no proof found" in r.out
    d = cli("equiv", "asin(x) + acos(x)", "pi/2", "--format", "json").json()
    assert (d["verdict"], d["evidence_kind"]) == ("tested", "sampled")
    assert d["summary"].startswith("equal at every point tested: ")


def test_far_difference_is_found_with_its_values(cli):
    r = cli("equiv", "x", "x + tanh(x-50) + 1", "--format", "json")
    assert r.code == 1
    d = r.json()
    assert d["evidence"].startswith("at x = 50: ")
    x = sp.Symbol("x")
    first, second = (float(e.subs(x, 50)) for e in (x, x + sp.tanh(x - 50) + 1))
    assert f"first = {first:g}, second = {second:g}" in d["evidence"]


def test_boundary_is_searched(cli):
    r = cli("equiv", "sqrt(x-100)", "0", "--format", "plain")
    assert r.code == 1 and "At x = 101: first = 1, second = 0." in r.out


def test_tiny_constant_is_caught_and_printed_apart(cli):
    r = cli("equiv", "sin(x) + 10^(-40)", "sin(x)", "--format", "json")
    assert r.code == 1
    d = r.json()
    assert d["evidence_kind"] == "constant-difference"
    assert "first - second is the constant 1.0e-40, not 0" in d["evidence"]
    assert "second = first - 1.0e-40" in d["evidence"]


def test_domain_wording(cli):
    r = cli("equiv", "log(x^2)", "2 log(x)", "--format", "plain")
    assert r.code == 1
    assert "The second expression is not defined for x <= 0, where the first is" in r.out
    r = cli("equiv", "pi/2", "asin(x) + acos(x)", "--format", "json")
    d = r.json()
    assert r.code == 1 and d["evidence_kind"] == "domain"
    assert "not defined for x < -1 or x > 1" in d["evidence"]
    assert any(n.startswith("where both are defined they agree") for n in d["notes"])


def test_isolated_point_note(cli):
    r = cli("equiv", "x + 1", "(x^2-1)/(x-1)", "--format", "plain")
    assert r.code == 0
    assert "Note: equal except at x = 1, where the second expression is undefined" in r.out


def test_undecided_wording_and_exit_2(cli):
    # real only within 10^-6 of pi/2 + 2 k pi: no search point lands there
    r = cli("equiv", "sqrt(sin(x) - 1 + 10^-12)", "0", "--format", "plain")
    assert r.code == 2
    assert "UNDECIDED - Could not decide. None of the" in r.out
    assert "no symbolic proof within 2 s" in r.out
    assert cli("equiv", "sqrt(sin(x) - 1 + 10^-12)", "0", "--format", "json").json()["verdict"] == \
        "undecided"
