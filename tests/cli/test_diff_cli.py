"""``calctutor diff`` end to end, against docs/interface.md."""

import subprocess
import sys

import pytest
import sympy

from calctutor.symbols import make_symbol

x, y = make_symbol("x"), make_symbol("y")


def S(text):
    """Read back a JSON expression string (contract: sympify reads it) with real symbols."""
    expr = sympy.sympify(text)
    return expr.subs({s: make_symbol(s.name) for s in expr.free_symbols})


def same(a, b):
    return sympy.simplify(S(a) - b) == 0 if isinstance(a, str) else sympy.simplify(a - b) == 0


def walk(step):
    yield step
    for sub in step["substeps"]:
        yield from walk(sub)


def test_json_shape_and_truth_of_every_step(cli):
    r = cli("diff", "x^2 sin(x)", "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert set(data) >= {"input", "variables", "result", "steps"}
    assert data["input"] == "x^2 sin(x)"
    assert data["variables"] == ["x"]
    assert same(data["result"], sympy.diff(x**2 * sympy.sin(x), x))
    assert data["steps"]["rule"] == "product"
    for node in walk(data["steps"]):
        assert set(node) >= {"rule", "expr", "var", "result", "text", "substeps"}
        assert node["text"]
        e, v, res = S(node["expr"]), make_symbol(node["var"]), S(node["result"])
        if node["rule"] == "rewrite":
            assert same(res, e)
        else:
            assert same(res, sympy.diff(e, v)), node


def test_plain_is_default_when_piped_and_shows_rules(cli):
    r = cli("diff", "x^2 sin(x)")
    assert r.code == 0
    assert "\x1b[" not in r.out
    low = r.out.lower()
    assert "product" in low and "power" in low
    assert "cos" in low


@pytest.mark.parametrize("fmt", ["rich", "plain", "latex", "markdown", "json"])
def test_every_format_renders(cli, fmt):
    r = cli("diff", "sin(x^2)", "--format", fmt)
    assert r.code == 0, r.err
    assert r.out.strip()


def test_partial_derivative_names_the_constants(cli):
    r = cli("diff", "x y^2 + sin(x y)", "--var", "y", "--format", "json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["variables"] == ["y"]
    assert same(d["result"], sympy.diff(x * y**2 + sympy.sin(x * y), y))
    texts = " ".join(n["text"] for n in walk(d["steps"]))
    assert "constant" in texts.lower()


def test_mixed_partials_give_one_tree_per_differentiation(cli):
    r = cli("diff", "e^(x y)", "--var", "x", "--var", "y", "--format", "json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["variables"] == ["x", "y"]
    assert isinstance(d["steps"], list) and len(d["steps"]) == 2
    assert same(d["result"], sympy.diff(sympy.exp(x * y), x, y))


def test_order_and_value_at_a_point(cli):
    r = cli("diff", "sin x", "--order", "3", "--at", "x=pi", "--format", "json")
    assert r.code == 0, r.err
    d = r.json()
    assert d["variables"] == ["x", "x", "x"]
    assert same(d["result"], -sympy.cos(x))
    assert d["value"] == "1"


def test_float_point_gives_a_json_number(cli):
    d = cli("diff", "x^2", "--at", "x=1.5", "--format", "json").json()
    assert d["value"] == pytest.approx(3.0)


def test_no_steps(cli):
    d = cli("diff", "x^3", "--no-steps", "--format", "json").json()
    assert d["steps"] is None and same(d["result"], 3 * x**2)


def test_first_principles(cli):
    r = cli("diff", "1/x", "--first-principles", "--format", "json")
    assert r.code == 0, r.err
    assert same(r.json()["result"], -1 / x**2)
    r = cli("diff", "2x^3", "--first-principles")
    assert r.code == 0 and "h" in r.out


def test_read_as_is_echoed_when_the_reading_differs(cli):
    assert "Read as" in cli("diff", "2x sin x", "--format", "plain").out
    assert "Read as" not in cli("diff", "2*x*sin(x)", "--format", "plain").out


@pytest.mark.parametrize("fmt, read_as, note", [
    ("plain", "Read as: x (for x != 0)", "x^2/x simplifies to x only where x != 0; at x = 0 "
     "the expression you typed is undefined."),
    ("rich", "x (for x ≠ 0)", "x^2/x simplifies to x only where x ≠ 0; at x = 0 the "
     "expression you typed is undefined."),
    ("markdown", "$x$ (for $x$ ≠ 0)", "only where $x$ ≠ 0"),
    ("latex", r"(for $x$ \ensuremath{\neq} 0)", "the expression you typed is undefined"),
])
def test_read_as_shows_the_conditions_the_simplification_dropped(cli, fmt, read_as, note):
    r = cli("diff", "x^2/x", "--format", fmt)
    assert r.code == 0, r.err
    text = " ".join(r.out.split())
    assert read_as in text and note in text


def test_x2_over_x_has_no_value_at_0(cli):
    r = cli("diff", "x^2/x", "--at", "x=0", "--format", "plain")
    text = " ".join(r.out.split())
    assert r.code == 0, r.err
    assert "Result: d/dx [x] = 1" in text        # the worked derivative is still shown
    assert "At x = 0: undefined. The function is undefined at x = 0, so the derivative is " \
           "too: x^2/x needs x != 0" in text
    j = cli("diff", "x^2/x", "--at", "x=0", "--format", "json").json()
    assert j["value"] is None and "x ≠ 0" in j["reason"]
    assert j["conditions"] == ["x != 0"] and j["read_as"] == "x^2/x"
    # the same presentation for 1/x, and a value where it is defined
    one_over = cli("diff", "1/x", "--at", "x=0", "--format", "json").json()
    assert one_over["value"] is None and "1/x needs x ≠ 0" in one_over["reason"]
    assert cli("diff", "x^2/x", "--at", "x=5", "--format", "json").json()["value"] == "1"


def test_cube_roots_are_real_at_a_point(cli):
    for text in ("cbrt(x)", "x^(1/3)", "∛x"):
        j = cli("diff", text, "--at", "x=-8", "--format", "json").json()
        assert S(j["value"]) == sympy.Rational(1, 12), (text, j)
    zero = cli("diff", "cbrt(x)", "--at", "x=0", "--format", "json").json()
    assert zero["value"] is None and "x ≠ 0" in zero["reason"]
    note = cli("diff", "cbrt(x)", "--format", "plain").out
    assert "real cube root" in note and "principal" not in note
    ok = cli("diff", "cbrt(x)", "--at", "x=-8", "--answer", "1/12")
    assert ok.code == 0, ok.err


def test_an_index_is_read_as_a_variable_and_echoed(cli):
    r = cli("diff", "w[1] x[1] + w[2] x[2]", "--var", "w_1", "--format", "json")
    assert r.code == 0, r.err
    assert S(r.json()["result"]) == make_symbol("x_1")
    plain = cli("diff", "a[1] x^2", "--var", "x", "--format", "plain").out
    assert "Read as: a_1 x^2" in plain and "a[1] read as the variable a_1" in plain


def test_gradient_at_a_point_where_the_typed_function_is_undefined(cli):
    r = cli("gradient", "x^2*y/x", "--at", "x=0,y=1")
    assert r.code == 2 and r.err.count("\n") == 1 and "x ≠ 0" in r.err
    j = cli("gradient", "x^2*y/x", "--format", "json").json()
    assert j["conditions"] == ["x != 0"]
    h = cli("hessian", "cbrt(x)^4 + y^2", "--at", "x=-8,y=0", "--format", "json")
    assert h.code == 0, h.err
    # independent: d2/dx2 of the real root (-t)^(4/3) for t < 0 is 4/(9 (-t)^(2/3)) = 1/9 at -8
    t = sympy.Symbol("t", negative=True)
    assert S(h.json()["value"][0][0]) == sympy.diff((-t) ** sympy.Rational(4, 3), t, 2).subs(t, -8)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["x y"], "--var"),                       # several variables, none chosen
        (["sinx"], "sin(x)"),                     # did you mean
        (["(x+1"], "column"),                     # unbalanced bracket, says where
        ([""], "empty"),
        (["x^2", "--order", "0"], "--order"),
        (["x^2 + y", "--at", "x=1"], "y"),        # point misses a variable
        (["x^2", "--at", "z=1"], "z"),            # unknown variable at the point
        (["__import__('os')"], ""),
        (["9^9^9"], ""),
        (["n!!"], "(n!)!"),                       # double factorial: refused, with the fix
        (["x!!!"], "double factorial"),
        (["f'(x)"], "calctutor diff"),            # a prime is a derivative
        (["dy/dx"], "--var x"),                   # Leibniz notation
        (["∂f/∂x"], "derivative"),
        (["2.5.3"], "two decimal points"),
        (["W[1][2]"], "one index"),
        (["x^2/x", "--at", "x=0", "--answer", "1"], "x ≠ 0"),  # no value to check against
        (["cbrt(x)", "--at", "x=0", "--answer", "0"], "undefined"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_2(cli, args, fragment):
    r = cli("diff", *args)
    assert r.code == 2, (args, r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.err
    assert fragment in lines[0]
    assert "Traceback" not in r.err + r.out


def test_console_script_and_module_entry_points():
    out = subprocess.run([sys.executable, "-m", "calctutor", "diff", "x^2", "--format", "json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert '"result": "2*x"' in out.stdout
    bad = subprocess.run([sys.executable, "-m", "calctutor", "diff", "(("], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("Error: ") and "Traceback" not in bad.stderr


def test_version_and_help_examples(cli):
    assert cli("--version").out.startswith("calctutor ")
    for cmd in ("diff", "equiv"):
        r = cli(cmd, "--help")
        assert r.code == 0 and "calctutor " + cmd in r.out and "Example" in r.out


def test_derivative_of_abs_at_its_corner_is_undefined(cli):
    # the worked derivative is still shown; the value line says undefined, and why
    r = cli("diff", "|x|", "--at", "x=0", "--format", "plain")
    assert r.code == 0 and "At x = 0: undefined" in r.out and "corner" in r.out
    j = cli("diff", "|x|", "--at", "x=0", "--format", "json").json()
    assert j["value"] is None and "corner" in j["reason"]
    a = cli("diff", "|x|", "--at", "x=0", "--answer", "0")
    assert a.code == 2 and a.err.startswith("Error:") and "corner" in a.err
    assert cli("diff", "|x|", "--at", "x=1", "--format", "json").json()["value"] == "1"
    g = cli("gradient", "abs(x) + y", "--at", "0,1")
    assert g.code == 2 and "corner" in g.err


def test_unknown_multi_letter_function_is_refused_not_split(cli):
    r = cli("hessian", "foo(x)")
    assert r.code == 2 and "unknown function 'foo'" in r.err
    # a short run of variables before a bracket is still a product
    ok = cli("diff", "xy(x+1)", "--var", "x", "--format", "json")
    assert ok.code == 0 and same(ok.json()["result"], 2 * x * y + y)


def test_a_variable_missing_from_the_expression_is_a_usage_error(cli):
    r = cli("diff", "x_1^2 x2", "--var", "x")
    assert r.code == 2 and "does not appear" in r.err and r.err.count("\n") == 1


def test_reading_notes_only_for_ambiguous_fractional_powers(cli):
    flagged = cli("diff", "x^1/2", "--format", "json").json()
    assert "fractional power" in " ".join(flagged.get("notes", [])) or "read_as" in flagged
    from calctutor.parsing import parse_expression

    assert parse_expression("x^1/2").reading.notes
    assert not parse_expression("x^10/120").reading.notes
    assert not parse_expression("(x-4)^2/32").reading.notes


def test_the_reciprocal_rewrite_shows_the_reciprocal(cli):
    r = cli("diff", "1/x^2", "--format", "plain")
    assert "1/x^2 = x^(-2)" in r.out
