"""Questions a textbook would print: the drawn maths reads as a textbook prints it (and is the
problem that is solved), and no draw asks an ill-posed question.

The prompt checks run on 200 raw draws of every template (``draft``: no answer computed);
the checks that need an answer solve only the draws they are about."""

import functools
import math
import re
import textwrap
from collections import Counter

import pytest
import sympy as sp

from calctutor.drills import BankError, instantiate, load_bank
from calctutor.drills.generate import draft, present
from calctutor.drills.validate import problems, solved_and_valid
from tests.test_exercises import HEAD, _bank, read

BANK = load_bank()
BY_KEY = {t.key: t for t in BANK.templates}
N = 200  # draws per template


@pytest.fixture(scope="module")
def drafts():
    """{template key: [(seed, params, input, pieces)]}, N draws of every template."""
    return {t.key: [(s, *draft(t, s)) for s in range(N)] for t in BANK.templates}


def _prompt(pieces) -> str:
    return "".join(text for _, text in pieces)


def _maths(pieces, inp) -> list[str]:
    """The drawn text of a variant: every placeholder's piece of the prompt, every input text."""
    out = [text for name, text in pieces if name]

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
    walk(inp)
    return out


# -- printed as a textbook prints it ----------------------------------------------------------
_UNTIDY = {
    "x^1": re.compile(r"\^\s*1(?![\d.])|\^\(\s*1\s*\)"),
    "a zero term": re.compile(r"[\w)]\s*[+\-]\s*0(?![\d.])"),
    "a zero coefficient": re.compile(r"(?:^|[(\[=,;]\s*)0\s*[A-Za-z(]"),
    "'*' for multiplication": re.compile(r"\*"),
    # (y)^2, 3/(x); but e^(x2) keeps its brackets (e^x2 would read as e^x times 2)
    "a bracketed name": re.compile(r"(?:^|(?<![\w^]))\(\s*[A-Za-z]\w*\s*\)|\^\(\s*[A-Za-z]\s*\)"),
}
_FRACTION = re.compile(r"(?<![\w.^/)])(\d+)\s*[A-Za-z][\w^ ]*?/(\d+)(?![\d.^(])")


def _untidy(text: str) -> list[str]:
    found = [what for what, pattern in _UNTIDY.items() if pattern.search(text)]
    for m in _FRACTION.finditer(text):
        if math.gcd(int(m.group(1)), int(m.group(2))) > 1:
            found.append(f"the unreduced fraction {m.group(0)!r}")
    return found


def test_every_drawn_prompt_prints_its_maths_as_a_textbook_would(drafts):
    bad = []
    for key, variants in drafts.items():
        for seed, _, inp, pieces in variants:
            for text in _maths(pieces, inp):
                found = _untidy(text)
                if found:
                    bad.append((key, seed, text, found))
    assert not bad, bad[:10]


def _pieces_of(text: str) -> list[str]:
    return re.split(r"[,;=<>≠\[\]]", text)


@functools.lru_cache(maxsize=None)  # drawn texts recur: read each pair once
def _same(a: str, b: str) -> bool:
    """The test's own reading (SymPy's parser) of two texts, piece by piece."""
    pa, pb = _pieces_of(a), _pieces_of(b)
    if len(pa) != len(pb):
        return False
    for x, y in zip(pa, pb, strict=True):
        if " ".join(x.split()) == " ".join(y.split()):
            continue
        ex, ey = read(x), read(y)
        if ex != ey and sp.simplify(ex - ey) != 0:
            return False
    return True


def test_the_printed_problem_is_the_problem_that_is_solved(drafts):
    # the textbook print of every input (which the prompt shows and the command solves) is
    # the same function as the bare substitution the template describes
    changed = Counter()
    for t in BANK.templates:
        for seed, _, inp, pieces in drafts[t.key]:
            _, raw_inp, raw_pieces = draft(t, seed, textbook=False)
            for key, value in inp.items():
                raw = raw_inp[key]
                if isinstance(value, str) and value != raw:
                    changed[t.key] += 1
                    assert _same(raw, value), (t.key, key, raw, value)
            for (name, text), (_, raw) in zip(pieces, raw_pieces, strict=True):
                if name and text != raw:
                    assert _same(raw, text), (t.key, name, raw, text)
    # the tidying is at work: x^1, (y - 0) and 0x y templates change some draws
    for key in ("module1/product-three", "module2/gradient-at-point", "module2/classify-quadratic",
                "module2/hessian-quadratic-form", "module5/descent-one-variable"):
        assert changed[key] > 10, (key, changed[key])


@pytest.mark.parametrize("raw, shown", [
    ("x^1 sin(x) ln(x)", "x sin(x) ln(x)"),
    ("1/x^1", "1/x"),
    ("2x^2/2 - 2x y + 4y^2/2", "x^2 - 2x y + 2y^2"),
    ("4(y - 0)^2", "4y^2"),
    ("(x - 0)^2 + 2(y - 3)^2", "x^2 + 2(y - 3)^2"),
    ("3/(x + 0)", "3/x"),
    ("x^2 + 0x y", "x^2"),
    ("x^2 + 0x y + 3y^2 - 4x", "x^2 + 3y^2 - 4x"),
    ("sqrt(6x + 0)", "sqrt(6x)"),
    ("x = 5*p - 3*q", "x = 5p - 3q"),
    ("x1^2 + 4*x1*x2 + x2^2", "x1^2 + 4x1 x2 + x2^2"),
    ("3(ln(x^2 + 1)) - 1", "3 ln(x^2 + 1) - 1"),
    ("x^4/4 - 4x^2/2 + x", "x^4/4 - 2x^2 + x"),
    ("6x/4", "3x/2"),
    ("6x + 0 > 0", "6x > 0"),
    # what is already textbook print stays as written
    ("x^4/4 - 3x^2/2 + x", "x^4/4 - 3x^2/2 + x"),
    ("W=[[0, 1], [-2, 0]]; b=[0, 0]", "W=[[0, 1], [-2, 0]]; b=[0, 0]"),
    ("0, 0", "0, 0"),
    ("x^10 + 0.5x", "x^10 + 0.5x"),
    ("e^(x^2)", "e^(x^2)"),
    ("(x^2)^3", "(x^2)^3"),
    ("x1 x2", "x1 x2"),
    ("sin(x) e^(cos(2x))", "sin(x) e^(cos(2x))"),
    ("relu", "relu"),
])
def test_present(raw, shown):
    assert present(raw) == shown
    if raw != shown and "=" not in raw and ">" not in raw and ";" not in raw:
        assert sp.simplify(read(raw) - read(shown)) == 0


def test_a_print_that_would_change_the_problem_is_not_used(monkeypatch):
    import importlib

    generate = importlib.import_module("calctutor.drills.generate")  # the module, not generate()
    present.cache_clear()
    monkeypatch.setattr(generate, "_present_level", lambda text: text.replace("x^1", "x^2"))
    try:
        assert present("3x^1 + 1") == "3x^1 + 1"  # "3x^2 + 1" is another function: kept as drawn
    finally:
        monkeypatch.undo()
        present.cache_clear()
    assert present("3x^1 + 1") == "3x + 1"


# -- ill-posed draws are redrawn -------------------------------------------------------------
def _singular(params) -> bool:
    return 4 * params["a"] * params["c"] == params["b"] ** 2


def test_a_stationary_point_question_always_has_its_point(drafts):
    t = BY_KEY["module2/classify-quadratic"]
    singular = [(s, p) for s, p, _, _ in drafts[t.key] if _singular(p)]
    assert singular, "200 draws should include a singular Hessian (about 1 in 100)"
    x, y = sp.symbols("x y", real=True)
    for seed, _ in singular[:3]:
        ex = instantiate(t, seed)
        f = read(ex.input["expr"])
        assert sp.solve([sp.diff(f, x), sp.diff(f, y)], [x, y], dict=True) == []  # independent
        assert any("no stationary point" in p for p in problems(ex, t)), ex.input
    fine = next(s for s, p, _, _ in drafts[t.key] if not _singular(p))
    assert problems(instantiate(t, fine), t) == []


def test_an_area_factor_is_never_negative_unless_the_prompt_says_signed(tmp_path, drafts):
    for key in ("module2/coordinate-change-linear", "module2/coordinate-change-plane"):
        for _, _, _, pieces in drafts[key]:
            prompt = _prompt(pieces)
            if re.search(r"scale", prompt):
                assert "signed" in prompt or key.endswith("plane"), prompt
    # the plane's factor a b r is positive for r > 0, which its domain states
    assert BY_KEY["module2/coordinate-change-plane"].domain == "r > 0"
    bank = _bank(tmp_path, HEAD + """
        [[template]]
        id = "area"
        skill = "1.8"
        kind = "jacobian"
        prompt = "x = {u}, y = {v}. How much does this map scale areas?"
        params.b = { choice = [2, -2] }
        params.u = { value = "p + q" }
        params.v = { value = "{b}q" }
        input.expr = "{u}, {v}"
        input.vars = ["p", "q"]
        answer_key = "determinant"
        """)
    (t,) = bank.templates
    found = {}
    for seed in range(30):
        ex = instantiate(t, seed)
        found[ex.input["expr"]] = problems(ex, t)
    assert set(found) == {"p + q, 2q", "p + q, -2q"}
    assert found["p + q, 2q"] == []
    assert any("can be negative" in p and "signed" in p for p in found["p + q, -2q"])


def _z_values(params):
    """z(1) and z(2) of the two-layer network, by plain integer arithmetic (independent)."""
    w = [[params["w11"], params["w12"]], [params["w21"], params["w22"]]]
    a0 = [params["x1"], params["x2"]]
    z1 = [w[0][0] * a0[0] + w[0][1] * a0[1] + params["b1"], w[1][0] * a0[0] + w[1][1] * a0[1]]
    relu = params["act"] == "relu"
    a1 = [max(0, z) for z in z1] if relu else z1
    z2 = params["v1"] * a1[0] + params["v2"] * a1[1]
    return z1 + [z2]


def test_a_relu_gradient_at_its_kink_states_the_convention(tmp_path, drafts):
    t = BY_KEY["module3/backprop-two-layers"]
    kinks = 0
    for _, params, _, pieces in drafts[t.key]:
        if params["act"] == "relu":
            assert "ReLU'(0) = 0" in _prompt(pieces)
            kinks += 0 in _z_values(params)
        else:
            assert "ReLU'(0)" not in _prompt(pieces)
    assert kinks > 10  # common enough that the prompt must say it
    body = HEAD + """
        [[template]]
        id = "kink"
        skill = "1.8"
        kind = "backprop"
        prompt = "ReLU layers W(1) = [[1], [1]], b(1) = ({b}, 1), W(2) = [[1, 1]], b(2) = 0, a0 = 1, y = 3: find dC/dW(1){say}."
        params.b = { choice = [-1, 1] }
        params.say = { choice = ["", " (take ReLU'(0) = 0)"] }
        input.layer = ["W=[[1], [1]]; b=[{b}, 1]", "W=[[1, 1]]; b=[0]"]
        input.input = "1"
        input.target = "3"
        input.activation = "relu"
        input.check = "W1"
        """
    (k,) = _bank(tmp_path, body).templates
    seen = {}
    for seed in range(40):
        ex = instantiate(k, seed)
        seen[(ex.input["layer"][0], ex.prompt.endswith("0)."))] = problems(ex, k)
    kink, smooth = "W=[[1], [1]]; b=[-1, 1]", "W=[[1], [1]]; b=[1, 1]"
    assert any("ReLU'(0)" in p for p in seen[(kink, False)])  # z = 0, unstated
    assert seen[(kink, True)] == []  # z = 0, stated
    assert seen[(smooth, False)] == []  # z = (2, 2): no kink


def test_a_signature_lists_exactly_the_names_the_function_uses(tmp_path, drafts):
    for t in BANK.templates:
        if ";" not in t.prompt.split("=")[0]:
            continue
        for _, _, inp, pieces in drafts[t.key]:
            m = re.search(r"\(x; ([^)]*)\)", _prompt(pieces))
            listed = set(m.group(1).replace(" ", "").split(","))
            used = {s.name for s in read(inp["expr"]).free_symbols} - {"x"}
            assert listed == used, (t.key, _prompt(pieces))
    (t,) = _bank(tmp_path, HEAD + """
        [[template]]
        id = "gauss"
        skill = "1.8"
        kind = "diff"
        prompt = "f(x; mu) = {expr}. Find df/dmu."
        input.expr = "exp(-(x - mu)^2/(2 sigma^2))"
        input.var = "mu"
        """).templates
    assert any("sigma appears" in p for p in problems(instantiate(t, 0), t))


def test_no_two_parameters_play_the_same_role(tmp_path, drafts):
    a, b = sp.symbols("a b", real=True)
    for _, _, inp, _ in drafts["module6/model-polynomial-derivatives"]:
        y = read(inp["expr"])
        assert sp.diff(y, a) != sp.diff(y, b), inp["expr"]
    (t,) = _bank(tmp_path, HEAD + """
        [[template]]
        id = "same"
        skill = "1.8"
        kind = "gradient"
        prompt = "y = {expr}. Find its derivatives with respect to a, b and c."
        input.expr = "a x^3 + b x^3 + c"
        input.vars = ["a", "b", "c"]
        """).templates
    assert any("same role" in p for p in problems(instantiate(t, 0), t))


# -- yes/no questions --------------------------------------------------------------------------
def test_a_yes_no_question_has_a_yes_no_key_and_both_answers_occur(drafts):
    t = BY_KEY["module1/antiderivative-check-power"]
    assert t.answer_key == "yes_no"
    x = sp.Symbol("x", real=True)
    truth = []
    for _, params, inp, _ in drafts[t.key]:
        same = sp.simplify(sp.diff(read(inp["expr"]), x) - read(params["f"])) == 0
        truth.append(same)
    share = sum(truth) / len(truth)
    assert 0.35 <= share <= 0.65, share  # roughly balanced
    # the key is calctutor's own verdict, and it agrees with SymPy's
    for seed in range(12):
        ex = solved_and_valid(instantiate(t, seed), t)
        assert ex is not None
        want = "yes" if truth[seed] else "no"
        assert ex.answer == want, (ex.input, ex.yes_if)
        right = ex.check(want)
        assert right.correct is True and right.feedback.startswith(want.capitalize())
        wrong = ex.check("no" if want == "yes" else "yes, because F' = f")
        assert wrong.correct is False and f"The answer is {want}" in wrong.feedback
        assert ex.to_json()["answer"] == want
    # every yes/no question of the bank has such a key
    for key, variants in drafts.items():
        if re.match(r"(Is|Are|Does|Do|Can)\b", _prompt(variants[0][3])):
            assert BY_KEY[key].answer_key == "yes_no", key


def test_a_yes_no_answer_must_say_yes_or_no():
    from calctutor.errors import ParseError

    t = BY_KEY["module1/antiderivative-check-power"]
    ex = solved_and_valid(instantiate(t, 0), t)
    with pytest.raises(ParseError, match="answer yes or no"):
        ex.check("x^3")


def test_a_question_asking_yes_or_no_needs_a_yes_no_key(tmp_path):
    (t,) = _bank(tmp_path, HEAD + """
        [[template]]
        id = "ask"
        skill = "1.8"
        kind = "diff"
        prompt = "Is x^3/3 an anti-derivative of x^2?"
        input.expr = "x^3/3"
        """).templates
    assert any("yes/no question" in p for p in problems(instantiate(t, 0), t))


# -- a key to the precision the prompt asks for ---------------------------------------------
def test_a_key_to_6_decimal_places_and_the_check_accepts_6_places():
    t = BY_KEY["module5/newton-transcendental"]
    assert t.decimals == 6 and "to 6 decimal places" in t.prompt
    x = sp.Symbol("x", real=True)
    checked = 0
    for seed in range(40):
        ex = solved_and_valid(instantiate(t, seed), t)
        if ex is None:
            continue
        f, x0 = read(ex.input["expr"]), read(ex.input["x0"])
        x1 = sp.N(x0 - f.subs(x, x0) / sp.diff(f, x).subs(x, x0), 30)  # independent
        (key,) = ex.answer
        assert key == round(float(x1), 6)
        assert len(repr(key).split(".")[1]) <= 6
        typed = f"{float(x1):.6f}"
        assert ex.check(typed).correct is True
        assert ex.check(f"{float(x1):.10f}").correct is True  # more places are fine
        off = f"{float(x1) + 3e-5:.6f}"  # wrong in the 5th decimal place
        assert ex.check(off).correct is False
        rough = ex.check(f"{float(x1):.3f}")  # right, but to 3 places of the 6 asked for
        assert rough.correct is False and rough.diagnosis == "too_few_decimals"
        last = round(float(x1), 6) + (1e-6 if round(float(x1), 6) <= float(x1) else -1e-6)
        misrounded = ex.check(f"{last:.6f}")  # 6 places, but not the rounded value
        assert misrounded.correct is False and misrounded.diagnosis == "rounding"
        checked += 1
        if checked == 8:
            break
    assert checked == 8


@pytest.mark.parametrize("extra, words", [
    ('prompt = "Find x1 to 4 decimal places: {expr}"', ["decimals = 4"]),
    ('prompt = "Find x1 to 4 decimal places: {expr}"\ndecimals = 6', ["'decimals' is 6",
                                                                      "to 6 decimal places"]),
    ('prompt = "Find x1: {expr}"\ndecimals = 6', ["'decimals' is 6"]),
])
def test_decimals_must_match_the_prompt(tmp_path, extra, words):
    body = HEAD + "[[template]]\nid = 'n'\nskill = '1.8'\nkind = 'newton'\n" + extra + \
        "\ninput.expr = 'cos(x) - x'\ninput.x0 = '1'\ninput.steps = 1\n"
    with pytest.raises(BankError) as err:
        _bank(tmp_path, body)
    for w in words:
        assert w in str(err.value)


# -- paired choices --------------------------------------------------------------------------
def test_a_paired_choice_is_drawn_at_its_partners_position(tmp_path):
    (t,) = _bank(tmp_path, HEAD + textwrap.dedent("""
        [[template]]
        id = "pair"
        skill = "1.8"
        kind = "diff"
        prompt = "{name}: {expr}"
        params.f = { choice = ["sin(x)", "cos(x)", "e^x"] }
        params.name = { choice = ["sine", "cosine", "exponential"], pair = "f" }
        input.expr = "{f}"
        """)).templates
    seen = set()
    for seed in range(40):
        ex = instantiate(t, seed)
        seen.add(ex.prompt)
    assert seen == {"sine: sin(x)", "cosine: cos(x)", "exponential: e^x"}


@pytest.mark.parametrize("spec", ['{ choice = ["a", "b"], pair = "g" }',
                                  '{ choice = ["a"], pair = "f" }',
                                  '{ int = [1, 2], pair = "f" }'])
def test_a_pair_must_name_an_earlier_choice_of_the_same_length(tmp_path, spec):
    body = HEAD + textwrap.dedent(f"""
        [[template]]
        id = "pair"
        skill = "1.8"
        kind = "diff"
        prompt = "{{expr}}"
        params.f = {{ choice = ["sin(x)", "cos(x)"] }}
        params.h = {spec}
        input.expr = "{{f}}"
        """)
    with pytest.raises(BankError, match="'pair' must name a 'choice' parameter"):
        _bank(tmp_path, body)
