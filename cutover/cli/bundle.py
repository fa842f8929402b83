"""``cutover bundle DIR``: every wheel an offline install needs, and how to install them.

A terminal on the LGWAN side has no internet: pip cannot fetch cutover's dependencies
there, nor hatchling to build it from source. On a machine with the network, after
installing cutover, ``cutover bundle DIR`` writes into DIR cutover's own wheel (pure
Python, ``py3-none-any``: built again from the installed files, or from the source of an
editable install), the wheel of every dependency — for this machine, or with
``--platform`` and ``--python-version`` for another (a Windows terminal's Python) — and
INSTALL.txt, the commands to install from DIR alone (``pip install --no-index
--find-links . cutover``), in Japanese with the commands as they are typed.

The work is pip's (``python -m pip download``, ``python -m pip wheel``), run as a
subprocess; a failure (no pip, no network, no wheel for the platform asked) is one
`CutoverError` naming what to do.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import itertools
import json
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from cutover.cli.common import EXIT_OK
from cutover.cli.console import say
from cutover.errors import CutoverError, check_lang, os_reason, printable
from cutover.i18n.catalogue import Lang, Msg, text

if TYPE_CHECKING:
    import importlib.metadata

__all__ = [
    "INSTALL_FILE",
    "PLATFORMS",
    "PYTHON_VERSIONS",
    "Bundle",
    "bundle",
    "install_text",
    "pip_download_command",
    "run",
    "target_markers",
]

#: The instructions written beside the wheels.
INSTALL_FILE = "INSTALL.txt"
#: The environment markers (PEP 508) of the platforms a bundle may be made for, by pip's
#: platform tag: Windows and Linux, 64-bit.
_PLATFORM_MARKERS = {
    "win_amd64": {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "os_name": "nt",
        "platform_machine": "AMD64",
    },
    "manylinux2014_x86_64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
    },
    "manylinux2014_aarch64": {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "aarch64",
    },
}
#: The platforms a bundle may be made for (pip's platform tags).
PLATFORMS = tuple(_PLATFORM_MARKERS)
#: The Python versions cutover supports (pyproject.toml ``requires-python``).
PYTHON_VERSIONS = ("3.11", "3.12", "3.13", "3.14")
_DISTRIBUTION = "cutover"
#: Files of an installed distribution's metadata that belong to the installation, not to
#: the wheel it came from.
_INSTALLED_ONLY = frozenset({"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"})


@attrs.frozen
class Bundle:
    """What `bundle` wrote."""

    directory: Path
    #: the wheels in DIR, cutover's first
    wheels: tuple[str, ...]
    #: the platform and Python the dependencies are for ("" for this machine's)
    platform: str
    python_version: str


#: pip run with the environment markers of another machine (a JSON object, the first
#: argument; pip's arguments follow). pip's --platform and --python-version choose the
#: wheels, but it still decides which dependencies apply (``typing-extensions;
#: python_version < "3.13"``) by the machine it runs on (pypa/pip#11664): run on Python
#: 3.13, it would leave out a wheel that a terminal's Python 3.11 needs.
_PIP_FOR_TARGET = """\
import json, runpy, sys
target = json.loads(sys.argv[1])
try:
    from pip._vendor.packaging import markers
except ImportError:  # (a pip laid out otherwise: its own judgement, as plain pip download)
    pass
else:
    here = markers.default_environment
    markers.default_environment = lambda: {**here(), **target}
sys.argv = ["pip", *sys.argv[2:]]
runpy.run_module("pip", run_name="__main__", alter_sys=True)
"""


def target_markers(platform: str = "", python_version: str = "") -> dict[str, str]:
    """Return the environment markers that differ on the machine a bundle is for: its
    platform's (`PLATFORMS`) and its CPython version's ({} for this machine)."""
    found: dict[str, str] = dict(_PLATFORM_MARKERS[platform]) if platform else {}
    if python_version:
        found |= {
            "python_version": python_version,
            "python_full_version": f"{python_version}.0",
            "implementation_name": "cpython",
            "implementation_version": f"{python_version}.0",
            "platform_python_implementation": "CPython",
        }
    return found


def pip_download_command(
    python: str,
    directory: Path,
    requirements: Sequence[str],
    *,
    platform: str = "",
    python_version: str = "",
) -> list[str]:
    """Return the pip command that downloads the wheels of `requirements` (and all they need)
    into `directory`: for this machine, or for `platform` and `python_version`.

    Wheels only (``--only-binary=:all:``): an LGWAN terminal has no compiler, and pip must
    not build anything there.
    """
    pip = [python, "-m", "pip"]
    options = ["--dest", str(directory), "--only-binary=:all:"]
    if platform or python_version:
        # Run as if on the other machine: its markers choose the dependencies that apply.
        markers = json.dumps(target_markers(platform, python_version), sort_keys=True)
        pip = [python, "-c", _PIP_FOR_TARGET, markers]
        # pip resolves for another interpreter only from wheels, told its CPython tags.
        options += ["--implementation", "cp"]
        if platform:
            options += ["--platform", platform]
        if python_version:
            options += ["--python-version", python_version]
    return [*pip, "download", *options, *requirements]


def _requirements(distribution: importlib.metadata.Distribution) -> list[str]:
    """Return the runtime requirements of cutover (no extras)."""
    return [r for r in distribution.requires or [] if "extra ==" not in r]


def _run_pip(command: list[str], code: str) -> None:
    """Run a pip command; raise the error `code` with pip's last error line when it fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise CutoverError.of(
            "bundle.no-pip", python=printable(command[0]), detail=os_reason(exc)
        ) from None
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("ERROR")] or lines or ["?"]
        raise CutoverError.of(code, detail=printable(errors[-1][:300]))


def _check_pip(python: str) -> None:
    """Raise the no-pip error when `python` has no pip."""
    try:
        done = subprocess.run(
            [python, "-m", "pip", "--version"], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise CutoverError.of(
            "bundle.no-pip", python=printable(python), detail=os_reason(exc)
        ) from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        raise CutoverError.of("bundle.no-pip", python=printable(python), detail=printable(last))


def _source_of(distribution: importlib.metadata.Distribution) -> Path | None:
    """Return the source folder of an editable (or local folder) install, else None."""
    import urllib.parse
    import urllib.request

    found = distribution.read_text("direct_url.json")
    if not found:
        return None
    url = json.loads(found).get("url", "")
    if not url.startswith("file:"):
        return None
    path = Path(urllib.request.url2pathname(urllib.parse.urlparse(url).path))
    return path if (path / "pyproject.toml").is_file() else None


def _record_hash(data: bytes) -> str:
    """Return a file's hash as a wheel's RECORD writes it."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode('ascii')}"


def _wheel_of_installed(distribution: importlib.metadata.Distribution, directory: Path) -> str:
    """Write the wheel of the installed files of cutover into `directory`; return its name.

    cutover is pure Python: its installed files (the package, its metadata) are the wheel's
    contents as they were, less what pip adds on installing (RECORD, INSTALLER, byte code).
    """
    version = distribution.version
    info = f"{_DISTRIBUTION}-{version}.dist-info"
    name = f"{_DISTRIBUTION}-{version}-py3-none-any.whl"
    entries: list[tuple[str, bytes]] = []
    for file in distribution.files or []:
        parts = file.parts
        if not parts or parts[0] not in (_DISTRIBUTION, info) or "__pycache__" in parts:
            continue
        if parts[0] == info and parts[-1] in _INSTALLED_ONLY:
            continue
        entries.append((file.as_posix(), Path(str(distribution.locate_file(file))).read_bytes()))
    if not any(path.startswith(f"{_DISTRIBUTION}/") for path, _ in entries):
        raise CutoverError.of("bundle.no-files", version=version)
    entries.sort()
    record = [f"{path},{_record_hash(data)},{len(data)}" for path, data in entries]
    record.append(f"{info}/RECORD,,")
    with zipfile.ZipFile(directory / name, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries:
            wheel.writestr(path, data)
        wheel.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return name


def _wheels_in(directory: Path) -> set[str]:
    """Return the names of the wheels in `directory`."""
    return {path.name for path in directory.glob("*.whl")}


def _installed() -> importlib.metadata.Distribution:
    """Return cutover's installed distribution (its metadata, its files)."""
    # Imported here: every command's parser imports this module, and `--help` need not
    # read the installed packages' metadata.
    import importlib.metadata

    return importlib.metadata.distribution(_DISTRIBUTION)


def _own_wheel(python: str, directory: Path) -> str:
    """Write cutover's wheel into `directory`; return its name."""
    distribution = _installed()
    source = _source_of(distribution)
    if source is None:
        return _wheel_of_installed(distribution, directory)
    before = _wheels_in(directory)
    _run_pip(
        [python, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(directory), str(source)],
        "bundle.build-failed",
    )
    made = sorted(_wheels_in(directory) - before)
    return made[0] if made else f"{_DISTRIBUTION}-{distribution.version}-py3-none-any.whl"


def bundle(
    out_dir: str | Path,
    *,
    platform: str = "",
    python_version: str = "",
    lang: str = "ja",
    python: str = sys.executable,
) -> Bundle:
    """Write into `out_dir` cutover's wheel, every dependency's wheel (for this machine, or
    for `platform` and `python_version`) and INSTALL.txt; return what was written.

    `python` is the interpreter whose pip does the work (this one by default).
    """
    from cutover.render.files import write_folder

    language = check_lang(lang)
    directory = Path(out_dir)
    _check_pip(python)
    made_folder = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # (a file has its name)
        raise CutoverError.of(
            "files.folder-is-a-file",
            file=printable(str(directory)),
            contents=Msg("files.contents-bundle"),
        ) from None
    except OSError as exc:
        raise CutoverError.of(
            "files.cannot-create-folder",
            file=printable(str(directory)),
            folder=printable(str(directory)),
            reason=os_reason(exc),
        ) from None
    try:
        # pip writes into a folder of the run's own; DIR's wheels and INSTALL.txt are then
        # replaced as a whole: a failed run (no network) leaves DIR as it was, and a bundle
        # made again (for another platform, or a new version) holds no wheel of the last one,
        # which INSTALL.txt and the count would list beside the new ones.
        with tempfile.TemporaryDirectory(prefix="cutover-bundle-") as work:
            staging = Path(work)
            distribution = _installed()
            own = _own_wheel(python, staging)
            _run_pip(
                pip_download_command(
                    python,
                    staging,
                    _requirements(distribution),
                    platform=platform,
                    python_version=python_version,
                ),
                "bundle.download-failed",
            )
            others = sorted(_wheels_in(staging) - {own})
            made = Bundle(directory, (own, *others), platform, python_version)
            install = install_text(made, language).replace("\n", "\r\n").encode("utf-8")
            files = itertools.chain(
                ((name, (staging / name).read_bytes()) for name in made.wheels),
                [(INSTALL_FILE, b"\xef\xbb\xbf" + install)],
            )
            write_folder(
                directory,
                files,
                ours=lambda name: name.endswith(".whl") or name == INSTALL_FILE,
                contents=Msg("files.contents-bundle"),
            )
    except BaseException:
        if made_folder:
            with contextlib.suppress(OSError):
                directory.rmdir()  # (if still empty)
        raise
    return made


def install_text(made: Bundle, lang: Lang = "ja") -> str:
    """Return INSTALL.txt: for which platform the wheels are, the install commands for
    Windows and Linux, and the wheels in the folder."""
    here = f"{platform.system()} {platform.machine()}"
    target = made.platform or text("bundle.this-machine", lang, machine=here)
    version = made.python_version or f"{sys.version_info[0]}.{sys.version_info[1]}"
    # The folder keeps its name on the terminal (INSTALL.txt says not to rename it); where it
    # is there is not known here: the commands say "D:" and "/media/usb", and the text how to
    # open a prompt in the folder itself.
    folder = made.directory.resolve().name or "cutover-offline"
    win_folder = rf"D:\{folder}"
    if re.search(r"[\s&^%!()=;,]", win_folder):
        win_folder = f'"{win_folder}"'
    # In quotes: %USERPROFILE% may hold a space (C:\Users\Taro Yamada), which would split
    # the path in two.
    win = r"%USERPROFILE%\cutover-env\Scripts"
    install = "pip install --no-index --find-links . cutover"
    # pip's --upgrade alone keeps an installed cutover of the same version number (a build
    # of the same release, or of its development version): --force-reinstall replaces it.
    upgrade = "pip install --upgrade --force-reinstall --no-index --find-links . cutover"
    commands = {
        "win_cd": f"cd /d {win_folder}",
        "win_venv": rf'py -{version} -m venv "%USERPROFILE%\cutover-env"',
        "win_install": rf'"{win}\python" -m {install}',
        "win_demo": rf'"{win}\cutover" demo --out "%USERPROFILE%\cutover-demo"',
        "linux_cd": f"cd {shlex.quote('/media/usb/' + folder)}",
        "linux_venv": f"python{version} -m venv ~/cutover-env",
        "linux_install": f"~/cutover-env/bin/python -m {install}",
        "win_upgrade": rf'"{win}\python" -m {upgrade}',
        "linux_upgrade": f"~/cutover-env/bin/python -m {upgrade}",
        "linux_demo": "~/cutover-env/bin/cutover demo --out ~/cutover-demo",
        "rebundle": "cutover bundle DIR --platform win_amd64 --python-version 3.12",
    }
    body = text("bundle.install-text", lang, target=target, python=version, **commands)
    files = "\n".join(f"  {name}" for name in made.wheels)
    return f"{body.rstrip()}\n\n{text('bundle.files', lang)}\n{files}\n"


def run(args: argparse.Namespace) -> int:
    """Write the wheels and INSTALL.txt into DIR; say where they are."""
    made = bundle(
        args.directory,
        platform=args.platform or "",
        python_version=args.python_version or "",
        lang=args.lang,
    )
    say(
        Msg(
            "bundle.wrote",
            {
                "count": len(made.wheels),
                "out": printable(str(made.directory)),
                "install": printable(str(made.directory / INSTALL_FILE)),
            },
        )
    )
    return EXIT_OK
