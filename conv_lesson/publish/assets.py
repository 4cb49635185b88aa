"""The JavaScript, CSS and fonts the offline pages load, shipped inside the package (pinned, with licences).

The files come from npm packages at fixed versions (``assets/MANIFEST.json``
lists each package, version, licence and every file's sha256;
``tools/vendor_assets.py`` refreshes them). Building pages copies them next to
the pages, so nothing is fetched from the network, then or later.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

__all__ = ["ASSETS", "SITE_ASSETS", "SLIDES_ASSETS", "manifest", "verify", "copy_assets"]

#: Where the vendored files live (package data).
ASSETS = Path(__file__).resolve().parent / "assets"
#: The folders a lesson page needs.
SITE_ASSETS = ("html-manager", "requirejs", "anywidget", "mathjax")
#: ... and a slide deck.
SLIDES_ASSETS = SITE_ASSETS + ("reveal", "jquery")


def manifest():
    """The vendored packages: one dict each (folder, npm, version, license, files).

    Returns
    -------
    list of dict

    Examples
    --------
    >>> sorted(p["npm"] for p in manifest())[:2]
    ['@jupyter-widgets/html-manager', 'anywidget']
    """
    return json.loads((ASSETS / "MANIFEST.json").read_text())


def verify():
    """The files that are missing or differ from the manifest (an empty list when all is well).

    Returns
    -------
    list of str

    Examples
    --------
    >>> verify()
    []
    """
    problems = []
    for package in manifest():
        for name, entry in package["files"].items():
            path = ASSETS / package["folder"] / name
            if not path.is_file():
                problems.append(f"missing: {package['folder']}/{name}")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
                problems.append(f"changed: {package['folder']}/{name}")
    return problems


def copy_assets(dest, folders=SITE_ASSETS):
    """Copy the vendored ``folders`` (with their licences) into ``dest``; return the bytes copied.

    Parameters
    ----------
    dest : str or os.PathLike
        The folder to fill (created if needed); its files are replaced.
    folders : sequence of str, default SITE_ASSETS
        Which packages (see :data:`SLIDES_ASSETS` for the slides).

    Returns
    -------
    int

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     copy_assets(tmp, ["requirejs"]) > 80_000
    True
    """
    known = {p["folder"]: p for p in manifest()}
    if isinstance(folders, str) or any(f not in known for f in folders):
        raise ValueError(f"folders must be a list of {sorted(known)}; got {folders!r}")
    dest = Path(dest)
    total = 0
    for folder in folders:
        target = dest / folder
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ASSETS / folder, target)
        total += sum(e["bytes"] for e in known[folder]["files"].values())
    return total
