"""The quiz and progress commands as library calls (the CLI is a thin layer over these).

The process running these owns the terminal and the progress database; every exercise is
generated, solved and judged in the sandbox (``engine.Engine``).
"""

from __future__ import annotations

import random
import sys
from typing import TextIO

from calctutor.coach.plan import match_skill, no_repeats, review_plan
from calctutor.coach.report import ProgressReport, SkillInfo
from calctutor.coach.schedule import due_skills, skill_states
from calctutor.coach.session import COMMANDS, Quiz, Summary, TextUI
from calctutor.coach.store import Store, utc_now
from calctutor.drills.bank import parse_module
from calctutor.errors import UsageError
from calctutor.render.options import RenderOptions


def _warm_up() -> None:
    """Import the engine before the first fork, so every sandboxed call is cheap."""
    import importlib

    from calctutor.topics import TOPICS

    for name in ("calctutor.render", "calctutor.render.views", "calctutor.checking.answer",
                 "calctutor.drills", *(f"{t.package}.run" for t in TOPICS if t.exercises)):
        importlib.import_module(name)


def course_skills() -> list[SkillInfo]:
    """The skills of the exercise bank (empty if the bank cannot be read)."""
    try:
        from calctutor.drills import skills
    except ImportError:
        return []
    return [SkillInfo(s.module, s.name, s.title) for s in skills()]


def module_titles() -> tuple[tuple[int, str], ...]:
    """The bank's title of each module (empty if the bank cannot say)."""
    try:
        from calctutor.drills import module_title

        return tuple((m, module_title(m)) for m in range(1, 7))
    except Exception:  # noqa: BLE001 - titles are decoration; the table works without
        return ()


def open_store(err: TextIO) -> Store:
    store = Store.open()
    if store.notice:
        err.write(f"Warning: {store.notice}\n")
        err.flush()
    return store


def run_quiz(module: str | None = None, count: int = 10, seed: int | None = None,
             skill: str | None = None, review: bool = False, *,
             options: RenderOptions | None = None, interactive: bool | None = None,
             stdin: TextIO | None = None, stdout: TextIO | None = None,
             stderr: TextIO | None = None) -> Summary | None:
    """Run a quiz (see ``session``); None when there was nothing to ask (nothing due).
    ``options``: rich or plain, its width and colour (default plain, 80 columns)."""
    from calctutor.coach.engine import Engine

    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    if interactive is None:
        interactive = stdin.isatty()
    number = parse_module(module)
    if count < 1 or count > 100:
        raise UsageError(f"--count must be between 1 and 100 (got {count})")
    _warm_up()
    titles: dict[str, str] = {}  # skills are shown by name ("1.8 chain rule")
    wanted = match_skill(skill, number) if skill is not None else None
    if seed is None:
        seed = random.SystemRandom().randrange(1, 100_000)
    options = options or RenderOptions(color=False)
    ui = TextUI(stdout.write, stdin.readline, interactive=interactive,
                rich=options.fmt == "rich", color=options.color, width=options.width,
                flush=stdout.flush)
    engine = Engine(options)
    store = open_store(stderr)

    if module is None and skill is None and not review:
        return _chosen_quiz(engine, store, ui, count, seed, interactive)
    if review:
        states = skill_states(store.attempts())
        due = due_skills(states, module=number)
        if wanted is not None:
            due = [s for s in due if s.skill in wanted]
        if not due:
            pending = [s for s in states if number is None or s.module == number]
            message = "Nothing is due for review."
            if pending:
                nxt = min(pending, key=lambda s: s.due)
                from calctutor.coach.views import when_due

                message += (f" Next: {titles.get(nxt.skill, nxt.skill)} "
                            f"{when_due(nxt.due, utc_now())}.")
            else:
                message += " Start with: calctutor quiz (it chooses for you)"
            ui.say(message)
            return None
        course = [s.name for s in course_skills() if number is None or s.module == number]
        if wanted is not None:
            course = []  # a review of chosen skills stays with them
        plan = review_plan([s.skill for s in due], count, course)
        exercises = _review_exercises(engine, list(plan.order), seed)
        scope = "review" + (f" of module {number}" if number else "")
        ui.say(_review_message(plan, len(exercises), count))
    else:
        exercises = engine.generate(module=number, count=count, seed=seed, skill=skill)
        scope = (f"module {number}" if number else "all modules")
        if wanted:
            scope += ", " + (wanted[0] if len(wanted) == 1 else f"skills matching {skill!r}")
    if not exercises:
        ui.say("No exercises could be generated for this choice.", "warn")
        return None

    mode = "" if interactive else " (scripted: one answer per line)"
    ui.say(f"Quiz: {scope} · {len(exercises)} question{'s' * (len(exercises) != 1)} · "
           f"seed {seed}{mode}", "title")
    if interactive:
        ui.say(COMMANDS, "dim")
    quiz = Quiz(exercises, engine, store, ui, scope=scope, seed=seed, titles=titles)
    summary = quiz.run()
    _show_summary(ui, engine, summary, interactive, _due_count(store))
    return summary


def chooser(engine, store: Store, seed: int):
    """The tutor's choice of each question, made when it is asked (``path.choose_next``)
    from the progress stored so far, this session's answers included: a function of the
    question's number giving (exercise, reason), or None to end; None when nothing can be
    chosen at all. The command line's quiz and the Python API's share it."""
    from calctutor.coach.path import choose_next
    from calctutor.errors import CalcTutorError

    skills = course_skills()
    if choose_next(skills, skill_states(store.attempts()), utc_now()) is None:
        return None
    asked: list[str] = []
    failed: set[str] = set()  # skills whose exercises could not be drawn this session
    recorded = [store.count()]

    def choose(number: int):
        attempts = store.attempts()
        if asked and len(attempts) == recorded[0]:
            failed.add(asked[-1])  # nothing recorded: it could not be prepared; not again
        recorded[0] = len(attempts)
        while True:
            states = skill_states(attempts)
            choice = choose_next(skills, states, utc_now(), asked, exclude=failed)
            if choice is None:
                return None
            try:
                drawn = engine.generate(skill=choice.skill, count=1,
                                        seed=seed * 1000 + number + 100 * len(failed))
            except CalcTutorError:
                drawn = []
            if drawn:
                asked.append(choice.skill)
                return drawn[0], choice.reason
            failed.add(choice.skill)

    return choose


def _chosen_quiz(engine, store: Store, ui: TextUI, count: int, seed: int,
                 interactive: bool) -> Summary | None:
    """The tutor chooses each question when it is asked (see ``chooser``)."""
    choose = chooser(engine, store, seed)
    if choose is None:
        ui.say("No exercises could be generated for this choice.", "warn")
        return None
    mode = "" if interactive else " (scripted: one answer per line)"
    ui.say(f"Quiz: chosen for you · {count} question{'s' * (count != 1)} · seed {seed}{mode}",
           "title")
    ui.say("Each question: reviews due first, then the weakest skill you are ready for.",
           "dim")
    if interactive:
        ui.say(COMMANDS, "dim")
    quiz = Quiz([], engine, store, ui, scope="chosen", seed=seed, choose=choose, total=count)
    summary = quiz.run()
    _show_summary(ui, engine, summary, interactive, _due_count(store))
    return summary


def _due_count(store: Store) -> int:
    try:
        return len(due_skills(skill_states(store.attempts())))
    except Exception:  # noqa: BLE001 - a remark in the summary; never fail the quiz for it
        return 0


def _review_exercises(engine, order: list[str], seed: int) -> list:
    wanted = {name: order.count(name) for name in dict.fromkeys(order)}
    pools = {}
    for i, (name, n) in enumerate(wanted.items()):
        pools[name] = list(engine.generate(skill=name, count=n, seed=seed + i))
    out = []
    for name in order:
        if pools.get(name):
            out.append(pools[name].pop(0))
    return no_repeats(out)


def _review_message(plan, asked: int, count: int) -> str:
    """'1 skill is due for review: 3.1 ...; mixed with the related skills 3.2 ..., 3.3 ...:
    6 questions (fewer than 10: a skill is not asked more than 3 times).'"""
    from calctutor.coach.plan import REPEATS

    n = len(plan.due)
    names = ", ".join(plan.due[:6]) + (" ..." if n > 6 else "")
    text = f"{n} skill{' is' if n == 1 else 's are'} due for review: {names}"
    if plan.related:
        text += f"; mixed with the related skill{'s' * (len(plan.related) != 1)} " \
                f"{', '.join(plan.related)}"
    text += f": {asked} question{'s' * (asked != 1)}"
    if asked < count:
        text += f" (fewer than {count}: a skill is asked at most {REPEATS} times, never " \
                "twice in a row)"
    return text + "."


def _show_summary(ui: TextUI, engine, summary: Summary, interactive: bool,
                  due: int = 0) -> None:
    from calctutor.coach.views import summary_doc

    ui.say("")
    if not interactive:
        ui.say(summary.line())
        return
    ui.show(engine.render(summary_doc(summary, due)))


def progress_report(module: str | None = None, err: TextIO | None = None,
                    plot: bool = False) -> ProgressReport:
    """Every attempted skill's state, read from the store (in this process), the course's
    skills, and what the choosing quiz would ask next."""
    from calctutor.coach.path import choose_next

    number = parse_module(module)
    store = open_store(err or sys.stderr)
    now = utc_now()
    states = skill_states(store.attempts(), now)
    skills = course_skills()
    choice = choose_next(skills, states, now)
    if number is not None:
        states = [s for s in states if s.module == number]
    return ProgressReport(tuple(states), now, tuple(skills), module=number,
                          store=str(store.path), next=choice, plot=plot)


def reset_progress(err: TextIO | None = None) -> str:
    """Move the progress database aside and start a fresh one; a sentence saying where."""
    store = open_store(err or sys.stderr)
    aside = store.reset()
    return (f"Progress reset: the old record is kept as {aside} (rename it back to "
            f"{store.path.name} to restore it).")


def weak_selection(module: str | None = None,
                   err: TextIO | None = None) -> tuple[list[str], str]:
    """The weak skills (``path.is_weak``, weakest first, of one module or all) and the
    worksheet heading that names them; no skills and a one-line message saying why when
    there is nothing to draw on."""
    from calctutor.coach.path import MAX_WEAK, weak_skills

    number = parse_module(module)
    states = skill_states(open_store(err or sys.stderr).attempts())
    if number is not None:
        states = [s for s in states if s.module == number]
    if not states:
        where = f" in module {number}" if number else ""
        return [], (f"No progress yet{where}: take a quiz first (calctutor quiz), then "
                    "--weak draws on the skills you found hard.")
    weak = weak_skills(course_skills(), states, MAX_WEAK)
    if not weak:
        return [], ("None of your practised skills is weak now (all familiar or better, "
                    "and not missed lately): calctutor quiz chooses what comes next.")
    numbers = ", ".join(s.skill.split()[0] for s in weak)
    many = f"your {len(weak)} weakest skills" if len(weak) > 1 else "your weakest skill"
    return [s.skill for s in weak], f"from {many}: {numbers}"
