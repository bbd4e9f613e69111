"""The progress store: every judged answer, in SQLite, committed the moment it is judged.

Design: WAL mode, so a reader never blocks a writer and two
quizzes in two terminals can both write; ``BEGIN IMMEDIATE`` for every write (a deferred
read-then-write transaction in WAL fails at once with "database is locked", whatever the
timeout); a busy timeout; the schema version in ``PRAGMA user_version``, each migration in
one transaction. Each answer is one INSERT committed at once, so a killed process (even
SIGKILL) loses nothing already judged. Nothing derived is stored: the schedule and mastery
are replayed from the answers (``schedule``), so there is no second table to keep in step.

Connections are short-lived (opened and closed around each operation) and owned by the
process that opened the store: no open connection is ever carried into a forked sandbox
worker. A damaged file (``sqlite3.DatabaseError`` or a failed ``quick_check``) is moved aside
with a timestamp, ``Store.notice`` says so, and a fresh store is started.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from calctutor.errors import CalcTutorError

DB_NAME = "progress.db"
BUSY_TIMEOUT_S = 15.0

# Outcomes of one attempt (one judged answer, or a skip, or a revealed solution).
OUTCOMES = ("correct", "wrong", "skip", "solution")

# Each migration takes the schema from version i to i + 1, in one transaction.
MIGRATIONS: tuple[str, ...] = (
    # 1: the answers themselves
    """
    CREATE TABLE attempts (
        id       INTEGER PRIMARY KEY,
        session  TEXT    NOT NULL,            -- the quiz session (a uuid)
        item     INTEGER NOT NULL,            -- which exercise of the session (1, 2, ...)
        at       TEXT    NOT NULL,            -- when it was judged, ISO 8601 UTC
        module   INTEGER NOT NULL,
        skill    TEXT    NOT NULL,
        exercise TEXT    NOT NULL,            -- the exercise id
        answer   TEXT,                        -- as typed (NULL for a skip or a solution)
        outcome  TEXT    NOT NULL CHECK (outcome IN ('correct', 'wrong', 'skip', 'solution')),
        correct  INTEGER NOT NULL CHECK (correct IN (0, 1)),
        hints    INTEGER NOT NULL DEFAULT 0,  -- hints seen before this answer
        try      INTEGER NOT NULL DEFAULT 1,  -- 1 first answer, 2 second attempt
        seconds  REAL                         -- from showing the problem to this answer
    );
    CREATE INDEX attempts_by_skill ON attempts (skill, at);
    """,
    # 2: the sessions (what was asked for, when it started and ended)
    """
    CREATE TABLE sessions (
        id      TEXT PRIMARY KEY,
        started TEXT NOT NULL,
        ended   TEXT,
        scope   TEXT NOT NULL,                -- module1 ... module6, all, review, a skill
        seed    INTEGER,
        count   INTEGER NOT NULL,
        pid     INTEGER
    );
    """,
    # 3: whether the answer had been shown before this attempt (the last hint): a right
    # answer then is a copy, not evidence of the skill. Old rows: 0 (not recorded then).
    """
    ALTER TABLE attempts ADD COLUMN revealed INTEGER NOT NULL DEFAULT 0 CHECK (revealed IN (0, 1));
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(CalcTutorError):
    """The progress store cannot be used (not writable, or from a newer calctutor)."""


def data_dir() -> Path:
    """Where progress lives: ``$CALCTUTOR_HOME`` when set, else the user data directory."""
    home = os.environ.get("CALCTUTOR_HOME")
    if home:
        return Path(home).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("calctutor", appauthor=False))


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z`` (what the store and the JSON use)."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Attempt:
    """One judged answer (or a skip, or a revealed solution) of one quiz item."""

    session: str
    item: int
    module: int
    skill: str
    exercise: str
    outcome: str
    answer: str | None = None
    hints: int = 0
    try_: int = 1
    seconds: float | None = None
    at: datetime | None = None  # default: now
    revealed: bool = False      # the answer had been shown before this attempt

    @property
    def correct(self) -> bool:
        return self.outcome == "correct"

    def __post_init__(self):
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")


class Store:
    """The progress database at ``path`` (see module docstring). Open with ``Store.open()``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.notice: str | None = None  # set when a damaged file was moved aside
        self._pid = os.getpid()

    # -- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str | None = None) -> "Store":
        """The store at ``path`` (default: ``data_dir()/progress.db``), created or migrated
        to the current schema; a damaged file is moved aside and a fresh one started."""
        store = cls(Path(path) if path is not None else data_dir() / DB_NAME)
        try:
            store.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the progress folder {store.path.parent}: "
                             f"{err.strerror or err}") from None
        try:
            store._setup()
        except sqlite3.OperationalError as err:
            raise StoreError(f"cannot use the progress database {store.path}: {err}") from None
        except sqlite3.DatabaseError as err:
            store._move_aside(str(err))
            store._setup()
        return store

    def _setup(self) -> None:
        with self._connect() as db:
            check = db.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError("the integrity check failed"
                                            + (f" ({check[0].splitlines()[0]})" if check else ""))
            # WAL is a property of the file: once set it stays set.
            db.execute("PRAGMA journal_mode=WAL")
            self._migrate(db)

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"the progress database {self.path} was written by a newer "
                             f"calctutor (schema {version}; this one knows {SCHEMA_VERSION}); "
                             "upgrade calctutor or set CALCTUTOR_HOME to another folder")
        while version < SCHEMA_VERSION:
            db.execute("BEGIN IMMEDIATE")
            try:
                # another process may have migrated while we waited for the lock
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version < SCHEMA_VERSION:
                    for statement in _statements(MIGRATIONS[version]):
                        db.execute(statement)
                    version += 1
                    db.execute(f"PRAGMA user_version = {version}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _move_aside(self, reason: str) -> None:
        stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                os.replace(extra, aside.with_name(aside.name + suffix))
        self.notice = (f"The progress database {self.path} was damaged ({reason}); it was "
                       f"moved aside to {aside.name} and a fresh one was started.")

    def reset(self) -> Path:
        """Start afresh: the database is moved aside (kept, as ``progress.db.reset-<time>``)
        and a new one created. Returns where the old one went."""
        stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
        with self._connect() as db:  # fold the WAL into the file, so one file holds it all
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        aside = self.path.with_name(f"{self.path.name}.reset-{stamp}")
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                extra.unlink()
        self._setup()
        return aside

    # -- connections ----------------------------------------------------------------------
    @contextmanager
    def _connect(self):
        if os.getpid() != self._pid:
            # a forked worker must never touch the parent's database
            raise RuntimeError("the progress store is used in a forked process")
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            db.execute("PRAGMA synchronous = FULL")
            yield db
        finally:
            db.close()

    @contextmanager
    def _write(self):
        """A write transaction: BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error)."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- writing --------------------------------------------------------------------------
    def start_session(self, scope: str, count: int, seed: int | None = None) -> str:
        """Record the start of a quiz; returns its id."""
        session = uuid.uuid4().hex
        with self._write() as db:
            db.execute("INSERT INTO sessions (id, started, scope, seed, count, pid) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (session, iso(utc_now()), scope, seed, count, os.getpid()))
        return session

    def end_session(self, session: str) -> None:
        with self._write() as db:
            db.execute("UPDATE sessions SET ended = ? WHERE id = ?", (iso(utc_now()), session))

    def record(self, attempt: Attempt) -> None:
        """Store one attempt and commit at once (it survives the process being killed)."""
        at = attempt.at or utc_now()
        with self._write() as db:
            db.execute(
                "INSERT INTO attempts (session, item, at, module, skill, exercise, answer, "
                "outcome, correct, hints, try, seconds, revealed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (attempt.session, attempt.item, iso(at), attempt.module, attempt.skill,
                 attempt.exercise, attempt.answer, attempt.outcome, int(attempt.correct),
                 attempt.hints, attempt.try_, attempt.seconds, int(attempt.revealed)))

    # -- reading --------------------------------------------------------------------------
    def attempts(self, skill: str | None = None) -> list[Attempt]:
        """Every stored attempt (of one skill), oldest first."""
        query = ("SELECT session, item, module, skill, exercise, outcome, answer, hints, try, "
                 "seconds, at, revealed FROM attempts")
        args: tuple = ()
        if skill is not None:
            query += " WHERE skill = ?"
            args = (skill,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY at, id", args).fetchall()
        return [Attempt(*row[:10], at=parse_iso(row[10]), revealed=bool(row[11]))
                for row in rows]

    def count(self) -> int:
        with self._connect() as db:
            return db.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]

    def version(self) -> int:
        with self._connect() as db:
            return db.execute("PRAGMA user_version").fetchone()[0]


def _statements(script: str) -> list[str]:
    """A migration script as single statements (executescript would COMMIT on its own)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
