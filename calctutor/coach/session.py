"""The quiz loop, as a library: exercises in, a summary out, every judged answer stored.

Input and output are injected (``UI``), so the same loop runs on a terminal, from a script
(one answer per line) and in tests. The maths of each item runs in the sandbox
(``engine.Engine``); this process only prints text and writes the progress store.

At a prompt the learner may type an answer, ``hint`` (also ``?``, ``h``), ``solution``,
``skip``, ``quit`` (also ``q``) or ``help``; a blank line asks again. A wrong answer gets one
more try, with feedback that names the likely mistake but never the expected answer; a
second wrong answer shows the worked solution. The hints go from the method to the answer
itself: a right answer typed after the last hint is recorded as copied, not as known.
Ctrl-C or the end of the input ends the quiz cleanly: every answer judged so far is already
stored.

The session produces data (messages with a kind, rendered documents, a ``Summary``); the
styling of our own messages and the summary's words are in ``calctutor.coach.views``.
"""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Generator, Protocol, Sequence

from calctutor.coach.schedule import CREDIT
from calctutor.coach.store import Attempt, Store
from calctutor.errors import CalcTutorError

HINT = ("hint", "?", "h")
SOLUTION = ("solution", "solve", "show")
SKIP = ("skip", "next")
QUIT = ("quit", "q", "exit")
HELP = ("help",)
MAX_TRIES = 2
PROMPT = "Your answer: "
COMMANDS = ("Type your answer, or: hint (?, h) for the next step, solution for the worked "
            "solution, skip, quit (q).")


class UI(Protocol):
    """Where the quiz talks to the learner."""

    interactive: bool

    def show(self, text: str) -> None: ...             # rendered text (a document)
    def say(self, text: str, style: str = "") -> None: ...  # one message of ours, its kind
    def ask(self, prompt: str) -> str: ...             # EOFError at the end of input


class TextUI:
    """A UI over ``write`` and ``read_line``: ``interactive`` uses ``input()`` (line editing);
    scripted reads one line per answer and echoes it, so a transcript reads like a session.
    With ``rich`` our own messages are styled by their kind (colour only when ``color``)."""

    def __init__(self, write: Callable[[str], object], read_line: Callable[[], str], *,
                 interactive: bool = False, rich: bool = False, color: bool = False,
                 width: int = 80, flush: Callable[[], object] | None = None):
        self.write, self.read_line, self.interactive = write, read_line, interactive
        self.rich, self.color, self.width, self.flush = rich, color, width, flush

    def show(self, text: str) -> None:
        self._out(text if text.endswith("\n") else text + "\n")

    def say(self, text: str, style: str = "") -> None:
        from calctutor.coach.views import message_text

        self._out(message_text(text, style, rich=self.rich, color=self.color,
                               width=self.width))

    def ask(self, prompt: str) -> str:
        if self.interactive:
            if self.flush:
                self.flush()
            _line_editing()
            return input(prompt)
        line = self.read_line()
        if not line:
            raise EOFError
        line = line.rstrip("\r\n")
        self._out(f"{prompt}{line}\n")
        return line

    def _out(self, text: str) -> None:
        self.write(text)
        if self.flush:
            self.flush()


def _line_editing() -> None:
    """Arrow keys and history at the prompt: ``input()`` uses readline once it is imported."""
    try:
        import readline  # noqa: F401
    except ImportError:  # Windows without pyreadline: plain input still works
        pass


@dataclass
class ItemOutcome:
    """How one item went: ``first`` (right first time), ``helped`` (after a hint or at the
    second try), ``copied`` (right after the last hint showed the answer), ``failed``
    (wrong twice), ``skipped``, ``solution`` (revealed), or ``unavailable`` (could not be
    prepared in time: not asked)."""

    module: int
    skill: str
    result: str
    hints: int = 0
    tries: int = 0

    @property
    def asked(self) -> bool:
        return self.result != "unavailable"

    @property
    def credit(self) -> float:
        return CREDIT.get(self.result, 0.0)


@dataclass
class Summary:
    """The end of a quiz: what happened to each item asked, the time, why it ended."""

    outcomes: list[ItemOutcome] = field(default_factory=list)
    seconds: float = 0.0
    ended: str = "done"  # done, quit, end of input, interrupted
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def asked(self) -> list[ItemOutcome]:
        return [o for o in self.outcomes if o.asked]

    @property
    def score(self) -> float:
        return sum(o.credit for o in self.asked)

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in ("first", "helped", "copied", "failed", "skipped", "solution")}
        for o in self.asked:
            out[o.result] += 1
        return out

    def review(self) -> list[str]:
        """The skills of this quiz that were not right first time (titles), in order."""
        seen: dict[str, None] = {}
        for o in self.asked:
            if o.result != "first":
                seen.setdefault(self.titles.get(o.skill, o.skill), None)
        return list(seen)

    @property
    def time(self) -> str:
        return _clock(self.seconds)

    def line(self) -> str:
        """The summary in one line (what a scripted session ends with)."""
        from calctutor.coach.views import summary_line

        return summary_line(self)


MORE = "...          "  # the prompt of an answer's next line
UNFINISHED = ("not_evaluated", "not_substituted", "unfinished")  # AnswerSpec.unfinished codes


def _goes_on(text: str) -> bool:
    # a typo such as "sin((x" is not a matrix: only a square bracket opened first goes on
    body = text.strip()
    opened = body.count("[") - body.count("]")
    return bool(body) and (body.endswith((",", ";")) or (body.startswith("[") and opened > 0))


def _number(x: float) -> str:
    return f"{x:g}"


def _clock(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class _Quit(Exception):
    """The learner typed quit."""


class Quiz:
    """One quiz session over ``exercises`` (see module docstring)."""

    def __init__(self, exercises: Sequence, engine, store: Store | None, ui: UI, *,
                 scope: str = "all", seed: int | None = None,
                 titles: dict[str, str] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 choose: Callable[[int], tuple[object, str] | None] | None = None,
                 total: int | None = None):
        self.exercises = list(exercises)
        # ``choose(number)``: the next exercise and why it was chosen, picked only when it
        # is asked (after the answers before it are stored), or None to end the quiz
        self.choose = choose
        self.total = total if total is not None else len(self.exercises)
        self.why: dict[int, str] = {}
        self.engine, self.store, self.ui = engine, store, ui
        self.scope, self.seed = scope, seed
        self.titles = titles or {}
        self.clock = clock
        self.session = ""
        self._save_warned = False
        self._current: ItemOutcome | None = None  # the item so far, once an answer is judged
        self.summary: Summary | None = None  # so far, once the quiz has started

    # -- the whole quiz -------------------------------------------------------------------
    def run(self) -> Summary:
        """Ask every exercise, each line read from the UI; the summary at the end."""
        talk = self.dialogue()
        send, line = talk.send, None
        while True:
            try:
                prompt = send(line)
            except StopIteration as end:
                return end.value
            try:
                send, line = talk.send, self.ui.ask(prompt)
            except (EOFError, KeyboardInterrupt) as stop:
                send, line = talk.throw, stop

    def dialogue(self) -> Generator[str, str, Summary]:
        """The quiz as a conversation: yields each prompt, takes the line typed (``send``)
        or the end of input or Ctrl-C (``throw``), returns the summary. ``run`` drives it
        from the UI; the Python API drives it one call at a time."""
        start = self.clock()
        self.summary = summary = Summary(titles=self.titles)
        if self.store is not None:
            self.session = self.store.start_session(self.scope, self.total, self.seed)
        try:
            for number, exercise in self._exercises():
                self._current = None
                summary.outcomes.append((yield from self.item(number, exercise)))
        except (_Quit, EOFError, KeyboardInterrupt) as stop:
            summary.ended = {_Quit: "quit", EOFError: "end of input"}.get(
                type(stop), "interrupted")
            if isinstance(stop, KeyboardInterrupt):
                self.ui.say("")
            if self._current is not None:  # stopped after a judged (wrong) answer
                summary.outcomes.append(self._current)
        finally:
            summary.seconds = self.clock() - start
            if self.store is not None:
                try:
                    self.store.end_session(self.session)
                except Exception:  # noqa: BLE001 - the answers are stored; the end is a detail
                    pass
        return summary

    def _exercises(self):
        if self.choose is None:
            yield from enumerate(self.exercises, 1)
            return
        for number in range(1, self.total + 1):
            picked = self.choose(number)
            if picked is None:
                return
            exercise, self.why[number] = picked
            self.exercises.append(exercise)  # the quiz's exercises, as they are chosen
            yield number, exercise

    # -- one item -------------------------------------------------------------------------
    def item(self, number: int, exercise) -> Generator[str, str, ItemOutcome]:
        """Ask one exercise: yields prompts, returns its outcome (raises _Quit when the
        learner quits)."""
        total = self.total
        title = self.titles.get(exercise.skill, exercise.skill)
        if number in self.why:  # shown with the skill: "1.2 power rule (due for review)"
            title += f" ({self.why[number]})"
        try:
            prepared = self.engine.prepare(exercise, number, total, title)
        except CalcTutorError as err:
            self.ui.say(f"Question {number} could not be prepared ({err.one_line()}); "
                        "moving on.", "warn")
            return ItemOutcome(exercise.module, exercise.skill, "unavailable")
        self.ui.say("")
        self.ui.show(prepared.problem)
        shown = self.clock()
        hints = tries = 0
        revealed = False  # the answer has been shown (the last hint)

        def record(outcome: str, answer: str | None = None) -> None:
            self._record(Attempt(self.session, number, exercise.module, exercise.skill,
                                 exercise.id, outcome, answer, hints, tries,
                                 round(self.clock() - shown, 3), revealed=revealed))

        while True:
            text = yield from self._continued((yield PROMPT), prepared.matrix)
            word = " ".join(text.split()).lower()
            if not word:
                continue
            if word in HINT:
                if hints < len(prepared.hints):
                    last = hints in prepared.revealing_hints
                    self.ui.say(f"Hint {hints + 1} of {len(prepared.hints)}"
                                + (" (the answer: a right answer now counts as copied)"
                                   if last else ""), "info")
                    self.ui.show(prepared.hints[hints])
                    revealed = revealed or last
                    hints += 1
                else:
                    self.ui.say("No more hints: type solution to see the worked solution.",
                                "dim")
                continue
            if word in HELP:
                self.ui.say(COMMANDS, "dim")
                continue
            if word in QUIT:
                raise _Quit
            if word in SOLUTION:
                tries += 1
                record("solution")
                self.ui.say("The worked solution (counted as not answered):", "info")
                self.ui.show(prepared.solution)
                return ItemOutcome(exercise.module, exercise.skill, "solution", hints, tries)
            if word in SKIP:
                tries += 1
                record("skip")
                self.ui.say("Skipped.", "dim")
                if prepared.answer:
                    self.ui.show(prepared.answer)
                return ItemOutcome(exercise.module, exercise.skill, "skipped", hints, tries)
            # before the last try the feedback names the mistake, never the answer
            judged = self.engine.judge(exercise, prepared, text,
                                       reveal=tries + 1 >= MAX_TRIES)
            if judged.error:
                self.ui.say(judged.error, "warn")
                continue
            if judged.correct is None:
                self.ui.show(judged.text)
                # right but not finished (the verdict names the step) is not counted either
                unfinished = judged.diagnosis in UNFINISHED
                self.ui.say("Not counted: finish it and answer again." if unfinished else
                            "Not counted: try writing it another way, or skip.", "warn")
                continue
            tries += 1
            # stored before the verdict is shown: an answer the learner saw judged is saved
            record("correct" if judged.correct else "wrong", text)
            self.ui.show(judged.text)
            if judged.correct:
                helped = hints > 0 or tries > 1
                result = "copied" if revealed else "helped" if helped else "first"
                return ItemOutcome(exercise.module, exercise.skill, result, hints, tries)
            self._current = ItemOutcome(exercise.module, exercise.skill, "failed", hints, tries)
            if tries >= MAX_TRIES:
                self.ui.say("Here is the worked solution:", "info")
                self.ui.show(prepared.solution)
                return ItemOutcome(exercise.module, exercise.skill, "failed", hints, tries)
            self.ui.say("One more try (or hint, solution, skip).", "dim")

    def _continued(self, text: str, matrix: bool = False) -> Generator[str, str, str]:
        """A matrix typed a row per line: a line ending with ',' or ';', or with a bracket
        still open, goes on at the next line (an empty line ends the answer). Where a
        matrix is asked, a line ending with ',' outside brackets ends its row: "a, b," then
        "c, d" is [[a, b], [c, d]], as typed."""
        while _goes_on(text):
            try:
                more = yield MORE
            except EOFError:
                break
            if not more.strip():
                break
            body = text.rstrip()
            if matrix and body.endswith(",") and body.count("[") == body.count("]") \
                    and body.count("(") == body.count(")"):
                text = body[:-1] + ";"
            text += "\n" + more
        return text

    def _record(self, attempt: Attempt) -> None:
        """Store the attempt at once, with Ctrl-C held off until it is committed."""
        if self.store is None:
            return
        block = (threading.current_thread() is threading.main_thread()
                 and hasattr(signal, "pthread_sigmask"))
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if block else None
        try:
            self.store.record(attempt)
        except Exception as err:  # noqa: BLE001 - a full disk must not end the quiz
            if not self._save_warned:
                self.ui.say(f"Warning: your answers could not be saved ({err}).", "warn")
                self._save_warned = True
        finally:
            if block:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)
