"""The optimise commands of the CLI (a thin Typer layer: options in, library call, text out).

Never import SymPy or the engine at module level here: ``calctutor --help`` must stay fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from calctutor.cli.helpview import examples
from calctutor.cli.options import FormatOpt, ShowOpt, VarsOpt, compute, prepare, respond
from calctutor.cli.support import fail, resolve_output, run

PlotOpt = Annotated[bool, typer.Option("--plot", help="Draw a plot in the terminal.", metavar="")]


def register(app) -> None:
    """Add this area's commands to the Typer app."""

    @app.command(epilog=examples(
        'calctutor descent "x^2 + 4y^2" --start x=2,y=1 --rate 0.1 --steps 1',
        'calctutor descent "x^2 + 4y^2" --start 2,1 --rate 0.3',
        'calctutor descent "sin(x) y" --start x=1,y=1 --ascent --plot',
        'calctutor descent "x^2 + 4y^2" --start x=2,y=1 --steps 1 --answer "8/5, 1/5"',
    ))
    def descent(
        expr: Annotated[str, typer.Argument(help="The function f to minimise, e.g. \"x^2 + 4y^2\".", metavar="EXPR")],
        start: Annotated[Optional[str], typer.Option(
            "--start", help="Start point s_0: x=1,y=2 (or 1,2 in variable order).", metavar="POINT")] = None,
        rate: Annotated[str, typer.Option(
            "--rate", help="Step size gamma (e.g. 0.1 or 1/4; default 0.1).", metavar="RATE")] = "0.1",
        max_iter: Annotated[int, typer.Option(
            "--max-iter", help="Stop after this many steps at most.", metavar="N")] = 1000,
        steps: Annotated[Optional[int], typer.Option(
            "--steps", "-n", help="Take exactly N steps (exact fractions when start and rate "
            "are exact and N <= 10).", metavar="N")] = None,
        tol: Annotated[float, typer.Option(
            "--tol", help="Stop when |grad f| or the step is shorter than this.", metavar="TOL")] = 1e-8,
        ascent: Annotated[bool, typer.Option(
            "--ascent", help="Climb to a maximum: s + gamma grad f.", metavar="")] = False,
        exact: Annotated[bool, typer.Option(
            "--exact", help="Keep exact fractions for more steps (up to 40).", metavar="")] = False,
        vars_: VarsOpt = None,
        plot: PlotOpt = False,
        answer: Annotated[Optional[str], typer.Option(
            "--answer", "-a", help="Check your point after the steps, e.g. \"8/5, 1/5\" "
            "(exit 0 if right, 1 if wrong, with the likely mistake).", metavar="ANSWER")] = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """Gradient descent from --start, every step in a table.

        The rule is s_(n+1) = s_n - gamma grad f(s_n).

        Shows the gradient, every step (point, f, gradient, |gradient|) and why it stopped;
        compares the rate with the step-size limit 2/L (L the largest eigenvalue of the
        Hessian), detects oscillation and divergence, and says what kind of point it reached
        (minimum, saddle, maximum, or inconclusive when the Hessian is singular), warning
        when it is not a minimum. --answer checks the final point.
        """
        compute("descent", fmt, answer, show, expr=expr,
                start=start, rate=rate, max_iter=max_iter, steps=steps, tol=tol, ascent=ascent,
                vars=vars_, exact=exact, plot=plot)

    @app.command(epilog=examples(
        'calctutor lagrange "x^2 y" --constraint "x^2 + y^2 = 3"',
        'calctutor lagrange "x y z" --constraint "x + y + z = 3" --positive',
        'calctutor lagrange "x + y + z" --constraint "x^2 + y^2 = 1" --constraint "z = x"',
        'calctutor lagrange "x y" --constraint "x^2 + y^2 = 8" --answer 4',
        'calctutor lagrange "x^2 y + e^x" --constraint "x^2 + y^2 = 4" --numeric --answer 8.969',
        'calctutor lagrange "x + y" --constraint "x^2+y^2-2" --goal system --answer "1 - 2 lam x, 1 - 2 lam y, 2 - x^2 - y^2"',
    ))
    def lagrange(
        expr: Annotated[str, typer.Argument(help="The function f to optimise, e.g. \"x^2 y\".", metavar="EXPR")],
        constraint: Annotated[Optional[list[str]], typer.Option(
            "--constraint", "-c", help="A constraint: G (meaning G = 0) or \"lhs = rhs\"; "
            "repeat for several (multipliers lam1, lam2, ...).", metavar="EQUATION")] = None,
        positive: Annotated[bool, typer.Option(
            "--positive", help="Restrict every variable to positive values.", metavar="")] = False,
        vars_: VarsOpt = None,
        numeric: Annotated[bool, typer.Option(
            "--numeric", help="Solve grad L = 0 numerically (Newton's method from many "
            "starts; on a closed curve in the plane f is also sampled all along it), "
            "without trying the exact solve first.", metavar="")] = False,
        goal: Annotated[str, typer.Option(
            "--goal", help="What --answer checks: max (the maximum value of f, default), "
            "min (the minimum value), or system (the components of grad L, in the order "
            "of the variables, then the multipliers).", metavar="GOAL")] = "max",
        answer: Annotated[Optional[str], typer.Option(
            "--answer", "-a", help="Check your answer (see --goal): e.g. 4, or with --goal "
            "system \"1 - 2 lam x, 1 - 2 lam y, 2 - x^2 - y^2\".", metavar="ANSWER")] = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """Optimise EXPR on constraints with Lagrange multipliers.

        The Lagrangian is L = f - lam g.

        Shows the Lagrangian, the system grad L = 0, its solutions (exact, or numerical
        from several starts when exact solving fails or with --numeric, and then it says so,
        with each candidate's residual |grad L|; a system with no solution is proved so), the points where grad g = 0 or f is not differentiable,
        f and the kind of every candidate (local max/min by the second-order test along
        the constraint), and the maximum and minimum when they exist, with a curve along
        which f is unbounded when they do not.
        """
        compute("lagrange", fmt, answer, show, expr=expr,
                constraint=list(constraint or []), positive=positive, vars=vars_, goal=goal,
                numeric=numeric)

    @app.command(epilog=examples(
        'calctutor fit examples/data.csv --model "m*x + c"',
        'calctutor fit examples/data.csv --model "a*exp(-k*x) + c" --start a=1,k=0.5,c=0',
        'calctutor fit examples/data.csv --model "m*x + c" --at m=1,c=-1',
        'calctutor fit examples/data.csv --model "m*x + c" --at m=1,c=-1 --rate 1/4 --steps 1',
        'calctutor fit examples/heights.csv --x height --y count --sigma err --model "n exp(-(height-mu)^2/(2 s^2))" --params n,mu,s --start n=100,mu=170,s=6',
        'calctutor fit examples/data.csv --model "m*x + c" --answer "11/5, 7/10"',
        'calctutor fit examples/data.csv --model "a x^2 + b x + c" --show-code',
    ))
    def fit(
        data: Annotated[str, typer.Argument(help="A CSV file with a header row (columns x, y, "
                                            "optional sigma).", metavar="FILE")],
        model: Annotated[Optional[str], typer.Option(
            "--model", "-m", help="The model y(x; a), e.g. \"a*x + b\".", metavar="EXPR")] = None,
        x: Annotated[str, typer.Option("--x", help="The x column (default x).", metavar="COLUMN")] = "x",
        y: Annotated[str, typer.Option("--y", help="The y column (default y).", metavar="COLUMN")] = "y",
        sigma: Annotated[Optional[str], typer.Option(
            "--sigma", help="The column of uncertainties sigma_i (default: a column named "
            "sigma if there is one, else sigma_i = 1).", metavar="COLUMN")] = None,
        params: Annotated[Optional[str], typer.Option(
            "--params", help="The parameters, in order, e.g. a,b (default: the model's "
            "other variables, in the order they appear).", metavar="NAMES")] = None,
        start: Annotated[Optional[str], typer.Option(
            "--start", help="Start values for a non-linear fit or for descent: a=1,b=0.", metavar="VALUES")] = None,
        rate: Annotated[Optional[str], typer.Option(
            "--rate", help="Fit by gradient descent on chi^2 with this step size gamma "
            "(with --at: the step size of the --steps).", metavar="RATE")] = None,
        steps: Annotated[Optional[int], typer.Option(
            "--steps", "-n", help="Number of gradient-descent steps.", metavar="N")] = None,
        at: Annotated[Optional[str], typer.Option(
            "--at", help="Evaluate chi^2 and its gradient at these parameters instead of "
            "fitting: m=1,c=-1.", metavar="VALUES")] = None,
        goal: Annotated[Optional[str], typer.Option(
            "--goal", help="What --answer checks: params (the best-fit parameters, in "
            "--params order; default), chi2; with --at: chi2 (default), gradient, or steps "
            "(the parameters after the --steps).", metavar="GOAL")] = None,
        plot: PlotOpt = False,
        show_code: Annotated[bool, typer.Option(
            "--show-code", help="Also show the same fit in Python, as the course's labs "
            "write it (scipy.optimize.curve_fit; numpy.polyfit for a polynomial).",
            metavar="")] = False,
        answer: Annotated[Optional[str], typer.Option(
            "--answer", "-a", help="Check your answer (see --goal), e.g. \"11/5, 7/10\".", metavar="ANSWER")] = None,
        show: ShowOpt = False,
        fmt: FormatOpt = None,
    ):
        """Fit a model to data by least squares (chi^2).

        chi^2 = sum ((y_i - y(x_i; a))/sigma_i)^2.

        Models linear in their parameters are solved exactly by the normal equations
        (shown); others by Levenberg-Marquardt from --start, or by gradient descent on
        chi^2 with --rate. The gradient of chi^2 is shown symbolically. --at evaluates
        chi^2 and its gradient at given parameters (and takes --steps descent steps).
        Parameters the data cannot separate (a*b*x: only a*b) are reported as the
        combination the data determine; a descent that diverges or oscillates is an error
        (exit 2) that names a rate below the step-size limit. --show-code adds the same fit
        as the course's labs write it in Python (SciPy's curve_fit, NumPy's polyfit).
        """
        out = resolve_output(fmt)
        _point_to_samples(data)

        def job():
            from calctutor.errors import UsageError
            from calctutor.topics.optimise.run import run_fit

            if model is None:
                raise UsageError("give the model with --model, e.g. --model \"a*x + b\"")
            result = run_fit(data, model, x=x, y=y, sigma=sigma, params=params, start=start,
                             rate=rate, steps=steps, at=at, plot=plot, goal=goal,
                             show_code=show_code)
            return respond(result, out, answer, show)

        prepare("calctutor.topics.optimise.run", checking=answer is not None)
        run(job)


def samples_dir() -> Path | None:
    """The sample data of the examples: ``calctutor/_examples`` when installed from a wheel,
    else the checkout's top-level ``examples/``."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_examples", package.parent / "examples"):
        if candidate.is_dir():
            return candidate
    return None


def _point_to_samples(data: str) -> None:
    """A missing file that is one of the sample data sets (the help's examples name
    examples/data.csv, which exists only at the top of a checkout): say where the samples are."""
    path = Path(data)
    samples = samples_dir()
    if path.exists() or samples is None or not (samples / path.name).is_file():
        return
    fail(f"no such file: {data} (calctutor's sample data sets are in {samples}; "
         f"try: calctutor fit {samples / path.name} ...)")
