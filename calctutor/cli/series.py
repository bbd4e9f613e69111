"""The series commands of the CLI (a thin Typer layer: options in, library call, text out).

Never import SymPy or the engine at module level here: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from calctutor.cli.helpview import examples
from calctutor.cli.options import (
    AnswerOpt,
    FormatOpt,
    PositiveOpt,
    ShowOpt,
    VarsOpt,
    compute,
)


def register(app) -> None:
    """Add this area's commands to the Typer app."""

    @app.command(epilog=examples(
        'calctutor taylor "e^(2x)" --order 3',
        'calctutor taylor "ln x" --at 1 --order 3',
        'calctutor taylor "sin(x^2)" --nonzero 3',
        'calctutor taylor "e^(x y)" --at 0,0 --order 2',
        'calctutor taylor "cos x" --order 6 --plot',
        'calctutor taylor "1/(1-2x)" --general-term',
        'calctutor taylor "sin x" --general-term --answer "(-1)^n x^(2n+1)/(2n+1)!"',
        'calctutor taylor "e^x" --general-term --answer "x^(n-1)/(n-1)! from n = 1"',
        'calctutor taylor "ln(1+x)" --interval --answer "(-1, 1]"',
        'calctutor taylor "1/(1-3x)" --radius --answer 1/3',
        'calctutor taylor "sin(x)/x" --order 4',
        'calctutor taylor "e^x" --order 3 --eval 1',
        'calctutor taylor "sqrt x" --at 9 --order 1 --answer "3 + (x-9)/6"',
    ))
    def taylor(
        expr: Annotated[str, typer.Argument(metavar="EXPR", help="The function, e.g. \"e^x\" or \"ln(1 + x + 2y)\".")],
        var: Annotated[Optional[str], typer.Option("--var", "-v", help="The variable (one variable).", metavar="VAR")] = None,
        vars_: VarsOpt = None,
        at: Annotated[Optional[str], typer.Option(
            "--at", help="The centre: 1, or x=1,y=2 (or 1,2 in variable order). Default 0.",
            metavar="POINT")] = None,
        order: Annotated[int, typer.Option("--order", "-n", help="Keep terms up to this total degree.", metavar="N")] = 4,
        nonzero: Annotated[Optional[int], typer.Option(
            "--nonzero", help="Instead of --order: the first N non-zero terms (one variable).",
            metavar="N")] = None,
        plot: Annotated[bool, typer.Option("--plot", help="Plot f and its Taylor polynomials.")] = False,
        general_term: Annotated[bool, typer.Option(
            "--general-term", help="Also find the general (n-th) term of the series.")] = False,
        index: Annotated[str, typer.Option("--index", help="The name of the index in the general term.",
                                                       metavar="NAME")] = "n",
        radius: Annotated[bool, typer.Option(
            "--radius", help="Where the series converges: the radius by the ratio test "
                             "(--answer: a number, or oo).")] = False,
        interval: Annotated[bool, typer.Option(
            "--interval", help="Where the series converges: the ratio test and both endpoints "
                               "(--answer: \"(-1, 1]\", \"-1 < x <= 1\" or \"all x\").")] = False,
        eval_at: Annotated[Optional[str], typer.Option(
            "--eval", help="Evaluate T0, T1, ..., Tn at this x (what each order adds).",
            metavar="X")] = None,
        positive: PositiveOpt = False,
        answer: AnswerOpt = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """Taylor polynomial of EXPR about a point, with its derivatives.

        The derivatives, the coefficients f^(k)(a)/k!, the polynomial and how good it is (in
        several variables: the gradient and the Hessian)."""
        compute("taylor", fmt, answer, show, expr=expr, var=var,
                vars=vars_, at=at, order=order, positive=positive, plot=plot, nonzero=nonzero,
                general_term=general_term, index=index, eval_at=eval_at, radius=radius,
                interval=interval)

    @app.command(epilog=examples(
        'calctutor newton "x^2 - 2" --x0 1',
        'calctutor newton "x^2 - 2" --x0 1 --steps 2 --exact',
        'calctutor newton "x^3 - 2x + 2" --x0 0',
        'calctutor newton "x^2" --x0 1',
        'calctutor newton "x^2 - y - 1, x - y" --x0 2,0',
        'calctutor newton "x^2 + x y + 2y^2 - 3x" --x0 0,0 --optimise --steps 1',
        'calctutor newton "cos x - x" --x0 1 --steps 1 --answer 0.750364',
    ))
    def newton(
        expr: Annotated[str, typer.Argument(metavar="EXPR", help="f(x), or a system \"F1, F2\" (as many equations as variables).")],
        x0: Annotated[Optional[str], typer.Option("--x0", help="The start: 1, or 1,2 (or x=1,y=2).", metavar="POINT")] = None,
        tol: Annotated[float, typer.Option("--tol", help="Stop when the correction is below this.", metavar="TOL")] = 1e-10,
        max_iter: Annotated[int, typer.Option("--max-iter", help="At most this many iterations.", metavar="N")] = 50,
        steps: Annotated[Optional[int], typer.Option(
            "--steps", help="Take exactly N iterations; --answer is then xN alone or the list x1, ..., xN.",
            metavar="N")] = None,
        optimise: Annotated[bool, typer.Option(
            "--optimise", "--optimize", help="Seek a stationary point: x - f'/f'' (or -H^-1 grad f).")] = False,
        exact: Annotated[bool, typer.Option("--exact", help="Exact rational iterates (rational f and start).")] = False,
        vars_: VarsOpt = None,
        answer: AnswerOpt = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """Newton's method: roots of f or of systems, stationary points.

        The step x - f/f' (for a system, the Jacobian step; with --optimise, x - f'/f''), the
        iteration table, and how the run ended, with the evidence: quadratic or linear
        convergence (a multiple root, with its multiplicity), divergence, a cycle, a flat
        tangent, no real root, or the iteration limit with the trend."""
        compute("newton", fmt, answer, show, expr=expr, x0=x0, tol=tol, max_iter=max_iter,
                steps=steps, optimise=optimise, exact=exact, vars=vars_)
