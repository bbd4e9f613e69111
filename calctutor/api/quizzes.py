"""The quiz from Python and Jupyter: the command line's quiz, one call per answer.

``Quiz`` drives the quiz session's own dialogue (``calctutor.coach.session``), so the rules
are the command line's: two tries, feedback that never shows the answer before the last try,
hints from the method to the answer, every judged answer recorded in the same progress
store at once (``CALCTUTOR_HOME`` decides where). Each item is solved and judged in the
sandbox, rendered both as Markdown (Jupyter) and as plain text (a REPL).
"""

from __future__ import annotations

import time

from calctutor.api.calls import InputError, text_of

# the quiz session's own messages, by kind, as Markdown
_EMPHASIS = {"warn": "**", "info": "*", "title": "**", "good": "**", "bad": "**"}
USAGE = ('Answer with .answer("..."); or .hint(), .solution(), .skip(), .quit(); '
         ".summary() for the score so far.")


class _Collector:
    """The quiz's UI in the API: keeps what the session shows, in order, to return it."""

    interactive = False

    def __init__(self):
        self.events: list[tuple[str, str]] = []  # (kind of message or "show", text)

    def show(self, text: str) -> None:
        self.events.append(("show", text))

    def say(self, text: str, style: str = "") -> None:
        if text:
            self.events.append((style or "say", text))

    def ask(self, prompt: str) -> str:  # the API sends each line itself
        raise EOFError


def _engine_class():
    from calctutor.coach.engine import Engine

    class _Engine(Engine):
        """Renders plain text and Markdown at once; remembers the current item and the
        last verdict (what ``Reply`` reports)."""

        def __init__(self):
            super().__init__()
            self.fmt = ("plain", "markdown")
            self.prepared = None
            self.judged = None

        def prepare(self, exercise, number, total, title=""):
            self.prepared = super().prepare(exercise, number, total, title)
            return self.prepared

        def judge(self, exercise, prepared, text, reveal=True):
            self.judged = super().judge(exercise, prepared, text, reveal)
            return self.judged

    return _Engine


def _markdown(events) -> str:
    from calctutor.render import render_blocks
    from calctutor.render.doc import Paragraph

    parts = []
    for kind, text in events:
        if kind == "show":
            parts.append(getattr(text, "formats", {}).get("markdown", text).rstrip("\n"))
        else:
            mark = _EMPHASIS.get(kind, "")
            body = render_blocks([Paragraph((text,))], "markdown", color=False).strip()
            parts.append(f"{mark}{body}{mark}")
    return "\n\n".join(parts) + "\n"


def _plain(events) -> str:
    return "\n".join(text.rstrip("\n") for _, text in events)


class _Said:
    """Shown as Markdown in Jupyter (``_repr_markdown_``) and as plain text in a REPL; a
    quiz's words and verdicts are text with maths, so there is no LaTeX of them."""

    def _text(self, fmt: str) -> str:
        raise NotImplementedError

    def _repr_markdown_(self) -> str:
        return self._text("markdown")

    def to_markdown(self) -> str:
        """As Markdown, maths in ``$…$``."""
        return self._text("markdown")

    def __str__(self) -> str:
        return self._text("plain").rstrip("\n")

    def __repr__(self) -> str:
        return str(self)


class Reply(_Said):
    """What the quiz said to one call (``answer``, ``hint``, ``skip``, ``solution``, ``quit``),
    as the command line shows it: the verdict, a hint, the worked solution after the last
    try, then the next question or the summary. ``correct`` is the verdict (None when the
    call judged nothing, or the answer could not be judged and does not count);
    ``diagnosis`` the named mistake's code; ``counted`` whether it was recorded as a try;
    ``finished`` whether the question is over; ``done`` whether the quiz is."""

    def __init__(self, events, correct=None, diagnosis=None, counted=False,
                 finished=False, done=False):
        self.events = list(events)
        self.correct, self.diagnosis, self.counted = correct, diagnosis, counted
        self.finished, self.done = finished, done

    def __bool__(self) -> bool:
        return self.correct is True

    def _text(self, fmt: str) -> str:
        return _markdown(self.events) if fmt == "markdown" else _plain(self.events)


class QuizSummary(_Said):
    """The score of a quiz so far, as the command line's summary: ``score`` (1 a question
    right first time, 1/2 with help, 0 otherwise), ``asked``, ``counts`` by outcome and the
    skills to review; ``raw`` is the quiz session's ``Summary``."""

    def __init__(self, raw, rendered, going_on: str = ""):
        self.raw, self._rendered, self._going_on = raw, rendered, going_on

    @property
    def score(self) -> float:
        return self.raw.score

    @property
    def asked(self) -> int:
        return len(self.raw.asked)

    @property
    def counts(self) -> dict[str, int]:
        return self.raw.counts()

    @property
    def review(self) -> list[str]:
        return self.raw.review()

    def line(self) -> str:
        """The summary in one line, as a scripted quiz ends."""
        return self.raw.line()

    def _text(self, fmt: str) -> str:
        events = [("show", self._rendered)]
        if self._going_on:
            events.append(("info", self._going_on))
        return _markdown(events) if fmt == "markdown" else _plain(events)


class Quiz(_Said):
    """A quiz in a notebook or a REPL: shows the current question (the last line of a
    cell); ``answer(text)``, ``hint()``, ``solution()``, ``skip()`` and ``quit()`` each
    return the ``Reply`` the command line would print; ``summary()`` the score so far.
    Make one with ``calctutor.quiz(...)`` (the function; its package is ``calctutor.coach``).

    >>> import calctutor as ct
    >>> q = ct.quiz("module1", count=1, seed=7)
    >>> print(q)  # doctest: +ELLIPSIS
    Quiz: module 1 · 1 question · seed 7
    Question 1 of 1
    ...
    >>> reply = q.quit()
    >>> reply.done, reply.counted, q.summary().asked
    (True, False, 0)
    """

    def __init__(self, exercises, *, scope: str, seed: int, chosen: int | None = None):
        from calctutor.coach.session import Quiz as Session
        from calctutor.coach.store import Store
        from calctutor.errors import CalcTutorError

        # ``chosen``: no exercises given; the tutor chooses this many, each when it is asked
        self.seed, self.scope = seed, scope
        self.count = chosen if chosen is not None else len(exercises)
        try:
            store = Store.open()
        except CalcTutorError as err:
            raise InputError(err.one_line(), type(err).__name__) from None
        self.notice = store.notice  # a damaged store was moved aside: said, never printed
        self._ui = _Collector()
        self._engine = _engine_class()()
        self._store = store
        choose = None
        if chosen is not None:
            from calctutor.coach.app import chooser

            choose = chooser(self._engine, store, seed)
            if choose is None:
                raise InputError("no exercises could be generated for this choice")
        self._session = Session(exercises, self._engine, store, self._ui, scope=scope,
                                seed=seed, choose=choose, total=self.count)
        self._talk = self._session.dialogue()
        self._started = time.monotonic()
        self._summary = None  # the session's, once the quiz is over
        # the first question; a question that could not be prepared is said with it
        self._notes = [e for e in self._step(None).events if e[0] == "warn"]

    # -- state -----------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        """Whether the quiz is over (every question asked, or quit)."""
        return self._summary is not None

    @property
    def number(self) -> int:
        """The current question's number (from 1); the count once the quiz is over."""
        outcomes = self._session.summary.outcomes if self._session.summary else []
        return min(len(outcomes) + 1, self.count) if not self.done else self.count

    @property
    def prompt(self) -> str | None:
        """The current question's exercise prompt (None once the quiz is over)."""
        if self.done or not self._session.exercises:
            return None
        return self._session.exercises[self.number - 1].prompt

    @property
    def exercises(self) -> list:
        """The quiz's exercises, in order (``ExerciseItem``: their prompts and data)."""
        from calctutor.api.objects import ExerciseItem

        return [ExerciseItem(e) for e in self._session.exercises]

    # -- what the learner does ---------------------------------------------------------------
    def answer(self, text) -> Reply:
        """Judge ``text`` (text in the learner's notation, a SymPy object or a number): the
        verdict, and the next question once this one is over (right, or wrong twice).

        An answer that cannot be read is not counted (``Reply.counted`` False): the reply
        says why, and the question stays."""
        text = text_of(text)
        if isinstance(text, list):
            text = ", ".join(str(t) for t in text)
        if text is None or not str(text).strip():
            raise InputError("an empty answer: type one, or use .hint(), .solution(), .skip()")
        return self._step(str(text))

    def hint(self) -> Reply:
        """The next hint: the first names the method, the last shows the answer (a right
        answer after it counts as copied)."""
        return self._step("hint")

    def solution(self) -> Reply:
        """The worked solution (the question counts as not answered), then the next one."""
        return self._step("solution")

    def skip(self) -> Reply:
        """Skip this question (shown with its answer), then the next one."""
        return self._step("skip")

    def quit(self) -> Reply:
        """End the quiz; every answer judged so far is already recorded."""
        return self._step("quit")

    def summary(self) -> QuizSummary:
        """The score so far (the whole quiz once it is over), as the command line sums up."""
        from dataclasses import replace

        from calctutor.coach.schedule import due_skills, skill_states
        from calctutor.coach.views import summary_doc

        raw = self._summary or replace(self._session.summary,
                                       outcomes=list(self._session.summary.outcomes),
                                       seconds=time.monotonic() - self._started)
        try:
            due = len(due_skills(skill_states(self._store.attempts())))
        except Exception:  # noqa: BLE001 - a remark in the summary; never fail for it
            due = 0
        going_on = "" if self.done else (f"The quiz goes on: question {self.number} of "
                                         f"{self.count}.")
        return QuizSummary(raw, self._engine.render(summary_doc(raw, due)), going_on)

    def widget(self):
        """A text box and buttons for the quiz (needs ipywidgets, which calctutor does not
        require); the replies show below it."""
        try:
            import ipywidgets as widgets
            from IPython.display import display
        except ImportError:
            raise ImportError("Quiz.widget() needs ipywidgets (pip install ipywidgets); "
                              'without it, answer with .answer("..."), .hint(), .skip(), '
                              ".solution()") from None
        box = widgets.Text(placeholder="your answer", description="Answer:")
        out = widgets.Output()

        def show(call) -> None:
            out.clear_output()
            with out:
                try:
                    display(call())
                except InputError as err:
                    display(f"Error: {err}")

        def submit(_=None) -> None:
            text, box.value = box.value, ""
            show(lambda: self.answer(text))

        buttons = []
        for name, call in (("Check", submit), ("Hint", self.hint), ("Solution", self.solution),
                           ("Skip", self.skip)):
            button = widgets.Button(description=name)
            button.on_click(call if call is submit else (lambda _, c=call: show(c)))
            buttons.append(button)
        with out:
            display(self)
        return widgets.VBox([widgets.HBox([box, *buttons]), out])

    # -- the dialogue ------------------------------------------------------------------------
    def _step(self, line) -> Reply:
        from calctutor.coach.session import MORE
        from calctutor.coach.views import summary_line

        if self.done:
            raise InputError("this quiz is over (see .summary()); start another with "
                             "calctutor.quiz(...)")
        ui, engine = self._ui, self._engine
        ui.events.clear()
        engine.judged = None
        asked = len(self._session.summary.outcomes) if self._session.summary else 0
        try:
            prompt = self._talk.send(line)
            while prompt == MORE:  # an answer given in one call is complete
                prompt = self._talk.send("")
        except StopIteration as end:
            self._summary = end.value
            ui.events.append(("say", summary_line(end.value)))
        except BaseException:
            if self._talk.gi_frame is None:  # the session ended with the error: so does the quiz
                self._summary = self._session.summary
            raise
        judged = engine.judged
        correct = judged.correct if judged else None
        return Reply(ui.events, correct=correct,
                     diagnosis=judged.diagnosis if judged else None,
                     counted=correct is not None or line in ("skip", "solution"),
                     finished=self.done or len(self._session.summary.outcomes) > asked,
                     done=self.done)

    def _text(self, fmt: str) -> str:
        if self.done:
            events = [("title", f"Quiz over: {self.scope}, seed {self.seed}."), *self._notes,
                      ("say", self._summary.line()), ("dim", "See .summary() for the "
                                                     "details; calctutor progress for "
                                                     "your progress.")]
        else:
            prepared = self._engine.prepared
            events = [("title", f"Quiz: {self.scope} · {self.count} question"
                                f"{'s' * (self.count != 1)} · seed {self.seed}")]
            if self.notice:
                events.append(("warn", self.notice))
            events += self._notes
            if prepared is not None:
                events.append(("show", prepared.problem))
            events.append(("dim", USAGE))
        return _markdown(events) if fmt == "markdown" else _plain(events)


def start(module=None, *, count: int = 5, seed: int | None = None,
          skill: str | None = None) -> Quiz:
    """A new quiz (see ``calctutor.quiz``)."""
    import random

    from calctutor.coach.plan import match_skill
    from calctutor.drills.bank import parse_module
    from calctutor.errors import CalcTutorError, InternalError

    if isinstance(module, int) and not isinstance(module, bool):
        module = str(module)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
        raise InputError(f"count must be a whole number between 1 and 100 (got {count!r})")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise InputError(f"seed must be a whole number (got {seed!r})")
    try:
        number = parse_module(module)
        wanted = match_skill(skill, number) if skill is not None else None
    except CalcTutorError as err:
        raise InputError(err.one_line(), type(err).__name__) from None
    if seed is None:
        seed = random.SystemRandom().randrange(1, 100_000)
    _warm_up()
    if module is None and skill is None:
        # as `calctutor quiz` alone: the tutor chooses each question from the stored progress
        return Quiz([], scope="chosen for you", seed=seed, chosen=count)
    engine = _engine_class()()
    try:
        exercises = engine.generate(module=number, count=count, seed=seed, skill=skill)
    except InternalError:
        raise
    except CalcTutorError as err:
        raise InputError(err.one_line(), type(err).__name__) from None
    if not exercises:
        raise InputError("no exercises could be generated for this choice")
    scope = f"module {number}" if number else "all modules"
    if wanted:
        scope += ", " + (wanted[0] if len(wanted) == 1 else f"skills matching {skill!r}")
    return Quiz(exercises, scope=scope, seed=seed)


def _warm_up() -> None:
    """Import what every item needs before the first fork, so each sandboxed call is cheap."""
    import importlib

    from calctutor.topics import TOPICS

    for name in ("calctutor.render.views", "calctutor.checking.answer", "calctutor.drills",
                 "calctutor.coach.views", *(f"{t.package}.run" for t in TOPICS if t.exercises)):
        importlib.import_module(name)
