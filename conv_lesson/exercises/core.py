"""What every check shares: the verdict words, the grading switch, reading an answer."""

from __future__ import annotations

import contextlib
import functools
import numbers
import os
import sys
import types

import numpy as np
from IPython import get_ipython
from IPython.display import display

from .feedback import Feedback

__all__ = [
    "CORRECT",
    "GRADING_ENV",
    "NOT_YET",
    "NO_ANSWER",
    "BadProblem",
    "NotAnswered",
    "WrongForm",
    "array",
    "cells_text",
    "exercise",
    "given",
    "grading",
    "grading_on",
    "number",
    "is_library_function",
    "listed",
    "not_among",
    "parts",
    "problem",
    "run_watching_library",
    "same",
    "show",
    "whole",
]

CORRECT = "Correct"
NOT_YET = "Not yet"
NO_ANSWER = "Not answered yet: replace the ... with your answer and run the cell again."
#: The environment variable that switches grading mode on (``1``, ``true``, ``yes`` or ``on``).
GRADING_ENV = "CONV_LESSON_GRADING"
_grading_override = None
#: What a loop exercise must not call: functions that give a whole feature map in one call.
LIBRARY_NAMES = {"feature_map", "feature_map_loop", "correlate2d", "convolve2d", "correlate", "convolve", "conv2d"}
#: ... when they come from these packages (a student's own function may have any name).
LIBRARY_PACKAGES = ("conv_lesson", "scipy", "torch", "tensorflow", "jax")


class NotAnswered(Exception):
    pass


class WrongForm(Exception):
    """An answer of another kind than the question asks for; the message says which kind it asks for."""


class BadProblem(Exception):
    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def grading(on=True):
    """Switch grading mode on or off in this kernel; ``None`` follows ``CONV_LESSON_GRADING`` again.

    In grading mode a wrong or missing answer raises ``AssertionError`` with
    the hint instead of printing it, so an autograder's test cell fails.

    Parameters
    ----------
    on : bool or None, default True

    Returns
    -------
    bool
        Whether grading mode is now on.

    Examples
    --------
    >>> from conv_lesson.exercises import check_output_size
    >>> grading(True)
    True
    >>> check_output_size(7, 3, 4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    AssertionError: Not yet: 7 − 3 = 4 counts the steps the window takes, not its positions: ...
    >>> check_output_size(7, 3, 5)  # doctest: +ELLIPSIS
    Correct: ...
    >>> grading(False)
    False
    >>> check_output_size(7, 3, ...)
    Not answered yet: replace the ... with your answer and run the cell again.
    >>> _ = grading(None)
    """
    global _grading_override
    if on is not None and not isinstance(on, (bool, np.bool_)):
        raise TypeError(f"on must be True, False or None; got {on!r}")
    _grading_override = None if on is None else bool(on)
    return grading_on()


def grading_on():
    if _grading_override is not None:
        return _grading_override
    return os.environ.get(GRADING_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def exercise(fn):
    """Wrap a check: print its verdict (or, in grading mode, raise it when it is not Correct)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            message = fn(*args, **kwargs)
        except BadProblem as exc:
            raise exc.error from None
        except NotAnswered:
            message = NO_ANSWER
        except WrongForm as exc:
            message = f"{NOT_YET}: {exc}"
        except TypeError as exc:
            if "not iterable" in str(exc):
                message = (
                    f"{NOT_YET}: give your answer in the form the question asks, a list or a tuple, not one number."
                )
            else:
                message = f"{NOT_YET}: I could not read your answer (TypeError: {exc})."
        except Exception as exc:  # noqa: BLE001 - an unreadable answer is a verdict, not a crash
            message = f"{NOT_YET}: I could not read your answer ({type(exc).__name__}: {exc})."
        if not message.startswith(CORRECT) and grading_on():
            raise AssertionError(message)
        show(message)

    return wrapper


def show(message):
    """Give a verdict to the student: in a notebook, as :class:`~conv_lesson.exercises.feedback.Feedback`
    (set apart from other output; its plain text is ``message``); elsewhere (a terminal, a doctest) printed.

    Parameters
    ----------
    message : str

    Examples
    --------
    >>> show("Correct: 3 + 4 = 7.")
    Correct: 3 + 4 = 7.
    """
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        print(message)
    else:
        display(Feedback(message))


@contextlib.contextmanager
def problem():
    """The exercise's own arguments: their errors are the teacher's and are raised as they are."""
    try:
        yield
    except (TypeError, ValueError) as exc:
        raise BadProblem(exc) from exc


def given(answer):
    if answer is ... or answer is None:
        raise NotAnswered
    return answer


def parts(answer, form, count=None):
    """The values of an answer the question asks for as ``form``, e.g. ``"(stride, padding)"``.

    An answer of another kind (one number, a string; with ``count``, a wrong number of values)
    is a :class:`WrongForm`: the student is told the form asked for, with an example, instead of
    Python's words. Without ``count`` the check itself judges the number of values (with a hint).

    Examples
    --------
    >>> parts((2, 1), "(stride, padding)", 2)
    [2, 1]
    >>> parts(4, "(stride, padding)", 2)
    Traceback (most recent call last):
    conv_lesson.exercises.core.WrongForm: answer as (stride, padding): 2 numbers in brackets, \
like (2, 1); you gave one value, 4.
    """
    answer = given(answer)
    n = form.count(",") + 1
    example = "(" + ", ".join(str(k) for k in range(n, 0, -1)) + ")"
    asked = f"answer as {form}: {n} numbers in brackets, like {example}"
    if isinstance(answer, (str, bytes, dict)) or not hasattr(answer, "__iter__"):
        raise WrongForm(f"{asked}; you gave one value, {answer!r}.")
    values = list(answer)
    if count is not None and len(values) != count:
        raise WrongForm(f"{asked}; you gave {len(values)}.")
    return values


def number(answer, what="a number"):
    answer = given(answer)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        raise ValueError(f"expected {what}, got {answer!r}")  # noqa: TRY004 - printed as is
    return answer


def whole(answer, what="whole numbers"):
    """``answer`` as an int, if it is a whole number (9.0 is, 9.5 is not: it is never rounded)."""
    value = number(answer, what)
    if not float(value).is_integer():
        raise ValueError(f"expected {what}, got {value!r}")  # noqa: TRY004 - printed as is
    return int(value)


def array(answer):
    answer = given(answer)
    if isinstance(answer, types.FunctionType) or callable(answer):
        raise ValueError("expected numbers, got a function: call it and give its result")
    return np.asarray(answer, dtype=float)


def same(arr, expected):
    return arr.shape == np.shape(expected) and np.allclose(arr, expected)


def listed(items):
    """``(0, 1)``, ``(0, 1) and (2, 3)``, ``7, 8 and 9``: every cell (a pair) or number, for a sentence."""
    texts = [f"({item[0]}, {item[1]})" if isinstance(item, tuple) else str(item) for item in items]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def not_among(got, widths, why=""):
    """The verdict for an answer that names widths outside ``widths`` (None if it names none)."""
    strangers = sorted(set(got) - set(widths))
    if not strangers:
        return None
    verb = "is" if len(strangers) == 1 else "are"
    return (
        f"{NOT_YET}: {listed(strangers)} {verb} not among the widths asked about, {min(widths)} to {max(widths)}{why}."
    )


def cells_text(cells, limit=4):
    shown = ", ".join(f"({r}, {c})" for r, c in cells[:limit])
    return shown + (f" and {len(cells) - limit} more" if len(cells) > limit else "")


def _library(name, module):
    """Whether the function ``name`` of ``module`` gives a whole feature map in one call."""
    return name in LIBRARY_NAMES and (module or "").split(".")[0] in LIBRARY_PACKAGES


def is_library_function(func):
    """Whether ``func`` is one of the library functions of :data:`LIBRARY_NAMES` itself."""
    return _library(getattr(func, "__name__", None), getattr(func, "__module__", None))


def run_watching_library(func, *args):
    """``(func(*args), names)``: what ``func`` returns and the library functions it called on the way.

    Judged by what runs, not by the names in the code: a local variable called
    ``feature_map`` is not a call, while an alias of the library's function, or
    a helper that calls it, is. Only functions of :data:`LIBRARY_NAMES` from
    :data:`LIBRARY_PACKAGES` count (numpy's 1-D ``convolve`` does not: it
    cannot give a 2-D map in one call).
    """
    found = set()

    def watch(frame, event, arg):
        if event == "call":
            name, module = frame.f_code.co_name, frame.f_globals.get("__name__", "")
        elif event == "c_call":
            name, module = getattr(arg, "__name__", ""), getattr(arg, "__module__", None)
        else:
            return
        if _library(name, module):
            found.add(name)

    before = sys.getprofile()
    sys.setprofile(watch)
    try:
        result = func(*args)
    finally:
        sys.setprofile(before)
    return result, found
