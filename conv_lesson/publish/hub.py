"""The lessons on a JupyterHub: the nbgitpuller link an instructor hands out (``python -m conv_lesson class-link``).

A student who opens the link logs in to the hub, which starts their server; nbgitpuller
then clones the lessons into their home (or, the next time, merges the changes without
touching their own edits) and opens the lessons' README in JupyterLab.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlencode, urlsplit

__all__ = ["class_link"]

#: What the link opens after pulling: the list of lessons.
DEFAULT_OPEN = "notebooks/README.md"


def _target_from_repo(repo):
    """The folder name a clone of ``repo`` gets: its last path part without ``.git``."""
    name = posixpath.basename(urlsplit(repo).path.rstrip("/")) if "://" in repo else repo.rstrip("/").split("/")[-1]
    return name[:-4] if name.endswith(".git") else name


def class_link(hub, repo, *, branch=None, target=None, open_path=DEFAULT_OPEN):
    """The nbgitpuller link that puts the lessons in a student's home on ``hub`` and opens them.

    Parameters
    ----------
    hub : str
        The hub's address, ``http://`` or ``https://``, e.g. ``"https://hub.example.edu"``
        (a hub served under a prefix, ``https://example.edu/jupyter``, works too).
    repo : str
        The git address of the lessons (what ``git clone`` takes).
    branch : str, optional
        The branch to pull; default: the repository's default branch.
    target : str, optional
        The folder the lessons go to in the student's home; default: the repository's
        name (``conv_lesson`` for ``.../conv_lesson.git``).
    open_path : str, default "notebooks/README.md"
        The file, inside the lessons, that JupyterLab opens after pulling.

    Returns
    -------
    str
        ``HUB/hub/user-redirect/git-pull?repo=...&targetpath=...&urlpath=lab/tree/...``: the hub
        sends each student to their own server, where nbgitpuller pulls, then opens ``urlpath``.

    Examples
    --------
    >>> class_link("https://hub.example.edu", "https://github.com/me/conv_lesson.git", branch="main")
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fme%2Fconv_lesson.git&branch=main&targetpath=conv_lesson&urlpath=lab%2Ftree%2Fconv_lesson%2Fnotebooks%2FREADME.md'
    """
    for name, value in (("hub", hub), ("repo", repo)):
        if not isinstance(value, str) or not value.strip():
            raise TypeError(f"{name} must be a non-empty string; got {value!r}")
    parts = urlsplit(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"hub must be the hub's address, http(s)://host[/prefix]; got {hub!r}")
    for name, value in (("branch", branch), ("target", target)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise TypeError(f"{name} must be a non-empty string or None; got {value!r}")
    target = (target or _target_from_repo(repo.strip())).strip("/")
    if not target or target in (".", "..") or "/" in target:
        raise ValueError(f"target must be one folder name; got {target!r} (give target= explicitly)")
    if not isinstance(open_path, str) or not open_path.strip("/") or ".." in open_path.split("/"):
        raise ValueError(f"open_path must be a file path inside the lessons; got {open_path!r}")
    query = {"repo": repo.strip()}
    if branch is not None:
        query["branch"] = branch.strip()
    query["targetpath"] = target
    query["urlpath"] = f"lab/tree/{target}/{open_path.strip('/')}"
    return f"{hub.strip().rstrip('/')}/hub/user-redirect/git-pull?{urlencode(query)}"
