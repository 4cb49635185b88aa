"""Refresh the JavaScript, CSS and fonts that the offline site and slides ship (maintainers only).

Usage:  python tools/vendor_assets.py

Fetches the pinned npm packages below with ``npm pack`` (the npm registry), copies the
few files the pages load into ``conv_lesson/publish/assets/<name>/`` with each package's
licence, and writes ``assets/MANIFEST.json`` (package, version, licence, every file with
its size and sha256). Students never run this: the files are package data, so building
the site or the slides needs no network. ``conv_lesson.publish.assets.verify()`` checks the
files against the manifest (a test does).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "conv_lesson" / "publish" / "assets"

#: (folder, npm package, version, licence, files to copy from the package: glob patterns)
PACKAGES = [
    ("html-manager", "@jupyter-widgets/html-manager", "1.0.15", "BSD-3-Clause", ["dist/embed-amd.js", "dist/*.woff2"]),
    ("requirejs", "requirejs", "2.3.8", "MIT", ["require.js"]),
    ("anywidget", "anywidget", "0.11.0", "MIT", ["dist/index.js", "LICENSE"]),
    (
        "mathjax",
        "mathjax",
        "2.7.7",
        "Apache-2.0",
        [
            "LICENSE",
            "MathJax.js",
            "config/TeX-AMS_CHTML-full.js",
            "config/Safe.js",
            "extensions/Safe.js",
            "extensions/MathMenu.js",
            "extensions/MathZoom.js",
            "extensions/TeX/*.js",
            "jax/output/CommonHTML/**/*.js",
            "jax/element/mml/optable/*.js",
            "fonts/HTML-CSS/TeX/woff/**/*.woff",
        ],
    ),
    (
        "reveal",
        "reveal.js",
        "4.0.2",
        "MIT",
        ["LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/theme/white.css", "plugin/notes/notes.js"],
    ),
    ("jquery", "jquery", "3.7.1", "MIT", ["LICENSE.txt", "dist/jquery.min.js"]),
]

LICENCE_TEXT = {
    "BSD-3-Clause": (
        "BSD 3-Clause License\n\nCopyright (c) Jupyter Development Team. All rights reserved.\n\n"
        "Redistribution and use in source and binary forms, with or without modification, are permitted "
        "provided that the following conditions are met:\n\n1. Redistributions of source code must retain the "
        "above copyright notice, this list of conditions and the following disclaimer.\n2. Redistributions in "
        "binary form must reproduce the above copyright notice, this list of conditions and the following "
        "disclaimer in the documentation and/or other materials provided with the distribution.\n3. Neither the "
        "name of the copyright holder nor the names of its contributors may be used to endorse or promote "
        "products derived from this software without specific prior written permission.\n\nTHIS SOFTWARE IS "
        'PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, '
        "INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR "
        "PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR ANY "
        "DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES ARISING IN ANY WAY OUT OF "
        "THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.\n"
    ),
    "MIT": (
        "MIT License\n\nCopyright (c) {holder}\n\nPermission is hereby granted, free of charge, to any person "
        'obtaining a copy of this software and associated documentation files (the "Software"), to deal in the '
        "Software without restriction, including without limitation the rights to use, copy, modify, merge, "
        "publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the "
        "Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and "
        "this permission notice shall be included in all copies or substantial portions of the Software.\n\n"
        'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.\n'
    ),
}
HOLDERS = {"requirejs": "jQuery Foundation and other contributors"}


def _pack(package, version, work):
    """Download and unpack ``package@version``; return the unpacked ``package/`` folder."""
    out = subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--silent"], cwd=work, capture_output=True, text=True, check=True
    )
    tgz = work / out.stdout.strip().splitlines()[-1]
    target = work / tgz.stem
    with tarfile.open(tgz) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _theme_without_web_fonts(path):
    """reveal's white theme imports Source Sans Pro from a folder we do not ship: use system fonts."""
    text = path.read_text()
    path.write_text("\n".join(line for line in text.splitlines() if not line.startswith("@import")) + "\n")


def main():
    if ASSETS.exists():
        shutil.rmtree(ASSETS)
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for folder, package, version, licence, patterns in PACKAGES:
            src = _pack(package, version, work)
            dest = ASSETS / folder
            files = sorted({p for pattern in patterns for p in src.glob(pattern) if p.is_file()})
            for path in files:
                target = dest / path.relative_to(src)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                if target.name == "white.css":
                    _theme_without_web_fonts(target)
            if not any(p.name.upper().startswith("LICENSE") for p in files):
                text = LICENCE_TEXT[licence].replace("{holder}", HOLDERS.get(folder, package))
                (dest / "LICENSE").write_text(text)
            entries = {
                str(p.relative_to(dest)): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
                for p in sorted(dest.rglob("*"))
                if p.is_file()
            }
            record = {"folder": folder, "npm": package, "version": version, "license": licence}
            manifest.append({**record, "files": entries})
            size = sum(e["bytes"] for e in entries.values())
            print(f"{package}@{version:8s} {licence:13s} {len(entries):4d} files {size / 1e6:6.2f} MB")
    (ASSETS / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
