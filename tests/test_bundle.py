"""Tests for `cutover bundle`: the pip commands, INSTALL.txt, the errors, and (slow) a real
offline install from the bundle into a fresh virtual environment."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from cutover.cli.bundle import (
    INSTALL_FILE,
    PYTHON_VERSIONS,
    Bundle,
    bundle,
    install_text,
    pip_download_command,
)
from cutover.cli.main import main
from cutover.cli.parser import build_parser
from cutover.errors import CutoverError
from cutover.i18n.catalogue import Lang

INSTALL = "pip install --no-index --find-links . cutover"


def test_download_for_this_machine_takes_wheels_only(tmp_path: Path) -> None:
    """For this machine, pip downloads wheels only, without another platform's tags."""
    command = pip_download_command("python", tmp_path, ["attrs>=23.1", "jinja2>=3.1"])
    assert command[:4] == ["python", "-m", "pip", "download"]
    assert "--only-binary=:all:" in command
    assert "--platform" not in command
    assert "--python-version" not in command
    assert command[-2:] == ["attrs>=23.1", "jinja2>=3.1"]
    assert command[command.index("--dest") + 1] == str(tmp_path)


def test_download_for_windows_names_its_platform_and_python(tmp_path: Path) -> None:
    """For a Windows terminal's Python 3.12, pip is told its platform, version and CPython."""
    command = pip_download_command(
        "python", tmp_path, ["markupsafe"], platform="win_amd64", python_version="3.12"
    )
    assert command[command.index("--platform") + 1] == "win_amd64"
    assert command[command.index("--python-version") + 1] == "3.12"
    assert command[command.index("--implementation") + 1] == "cp"
    assert "--only-binary=:all:" in command


def _wheel(folder: Path, name: str, *requires: str) -> None:
    """Write a pure-Python wheel of `name` 1.0 into `folder`, which needs `requires`."""
    info = f"{name.replace('-', '_')}-1.0.dist-info"
    metadata = [f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"]
    metadata += [f"Requires-Dist: {r}\n" for r in requires]
    wheel = "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    with zipfile.ZipFile(folder / f"{name.replace('-', '_')}-1.0-py3-none-any.whl", "w") as z:
        z.writestr(f"{info}/METADATA", "".join(metadata))
        z.writestr(f"{info}/WHEEL", wheel)
        z.writestr(f"{info}/RECORD", "")


@pytest.mark.parametrize("version", PYTHON_VERSIONS)
def test_download_for_another_machine_takes_the_dependencies_it_needs(
    version: str, tmp_path: Path
) -> None:
    """For a Windows terminal's Python (each version a bundle is made for, 3.14 included),
    the dependencies its markers ask for are downloaded (this machine's do not decide: pip
    alone would judge by them)."""
    index = tmp_path / "index"
    index.mkdir()
    _wheel(
        index,
        "needs-markers",
        'on-windows; sys_platform == "win32"',
        'from-python-3-12; python_version >= "3.12"',
        'on-this-machine; sys_platform != "win32" and python_version < "3.12"',
    )
    for name in ("on-windows", "from-python-3-12", "on-this-machine"):
        _wheel(index, name)
    dest = tmp_path / "wheels"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env |= {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(index)}
    command = pip_download_command(
        sys.executable, dest, ["needs-markers"], platform="win_amd64", python_version=version
    )
    subprocess.run(command, env=env, check=True, capture_output=True)
    later = [] if version == "3.11" else ["from_python_3_12"]
    assert sorted(p.name.split("-")[0] for p in dest.glob("*.whl")) == [
        *later,
        "needs_markers",
        "on_windows",
    ]


def test_every_python_a_bundle_is_for_is_accepted() -> None:
    """`--python-version` takes each CPython from 3.11 to 3.14 (a terminal may have the
    newest python.org release), and nothing before 3.11 (`requires-python`)."""
    parser = build_parser()
    for version in ("3.11", "3.12", "3.13", "3.14"):
        args = parser.parse_args(["bundle", "out", "--python-version", version])
        assert args.python_version == version


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_install_text_gives_both_systems_commands(lang: Lang, tmp_path: Path) -> None:
    """INSTALL.txt gives the no-index install for Windows and Linux and lists the wheels."""
    made = Bundle(
        tmp_path,
        ("cutover-1.0-py3-none-any.whl", "attrs-26.1.0-py3-none-any.whl"),
        "win_amd64",
        "3.12",
    )
    text = install_text(made, lang)
    assert text.count(INSTALL) == 2
    assert r'"%USERPROFILE%\cutover-env\Scripts\python" -m ' + INSTALL in text
    assert "~/cutover-env/bin/python -m " + INSTALL in text
    assert "py -3.12 -m venv" in text
    assert "win_amd64" in text
    assert "cutover-1.0-py3-none-any.whl" in text
    assert "attrs-26.1.0-py3-none-any.whl" in text
    if lang == "ja":
        assert "インターネットへの接続は要りません" in text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_install_text_commands_are_typed_as_they_are(lang: Lang, tmp_path: Path) -> None:
    """INSTALL.txt's commands hold no placeholder (a Command Prompt or a shell reads "<" and
    ">" as redirections): the folder is named, quoted when it holds a space, as every path
    under the user's profile is."""
    made = Bundle(tmp_path / "cutover offline", ("attrs-26.1.0-py3-none-any.whl",), "", "")
    text = install_text(made, lang)
    assert "<" not in text
    assert ">" not in text
    assert r'cd /d "D:\cutover offline"' in text
    assert "cd '/media/usb/cutover offline'" in text
    # (A profile folder may hold a space: C:\Users\Taro Yamada.)
    assert text.count("%USERPROFILE%") == text.count('"%USERPROFILE%') > 4


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_install_text_replaces_an_installed_cutover_of_the_same_version(
    lang: Lang, tmp_path: Path
) -> None:
    """INSTALL.txt says how to replace an installed cutover, with --force-reinstall: pip's
    --upgrade alone keeps one whose version number is the same (0.1.0.dev0 before and
    after), and says "Requirement already satisfied"."""
    made = Bundle(tmp_path / "wheels", ("attrs-26.1.0-py3-none-any.whl",), "win_amd64", "3.12")
    text = install_text(made, lang)
    upgrade = "pip install --upgrade --force-reinstall --no-index --find-links . cutover"
    assert r'"%USERPROFILE%\cutover-env\Scripts\python" -m ' + upgrade in text
    assert "~/cutover-env/bin/python -m " + upgrade in text


@pytest.mark.parametrize(
    "args",
    [
        ["bundle", "out", "--platform", "win32"],
        ["bundle", "out", "--python-version", "3.9"],
        ["bundle"],
    ],
)
def test_bad_arguments_are_usage_errors(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown platform, an unsupported Python or no folder is a usage error (exit 2)."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    assert not (tmp_path / "out").exists()


def test_no_pip_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An interpreter without pip: one error line in Japanese saying how to get pip."""
    venv.create(tmp_path / "env", with_pip=False)
    python = tmp_path / "env" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    with pytest.raises(CutoverError) as info:
        bundle(tmp_path / "out", python=str(python))
    shown = info.value.text("ja")
    assert "pip が使えません" in shown
    assert "ensurepip" in shown
    assert "\n" not in shown.strip()
    assert not (tmp_path / "out").exists()


def test_a_folder_that_cannot_be_made_is_said_in_japanese(tmp_path: Path) -> None:
    """A file where the bundle's folder goes, or in its path, is one line in Japanese
    saying which and why, without the system's English ("[Errno 17] File exists")."""
    plain = tmp_path / "plainfile"
    plain.write_text("a note", encoding="utf-8")
    with pytest.raises(CutoverError) as here:
        bundle(plain)
    with pytest.raises(CutoverError) as under:
        bundle(plain / "y")
    assert here.value.text("ja") == (
        f"{plain}: ここには書き出せません。これはファイルで、インストール用のファイル"
        "（wheel と INSTALL.txt）はフォルダーに書き出します — フォルダーの名前を指定してください"
        "（なければ新しく作ります）"
    )
    assert "（パスの途中がフォルダーではありません）" in under.value.text("ja")
    for caught in (here, under):
        assert "Errno" not in caught.value.text("ja")
        assert "Errno" not in caught.value.text("en")
    assert plain.read_text(encoding="utf-8") == "a note"


def test_an_interpreter_that_is_not_there_is_said_in_japanese(tmp_path: Path) -> None:
    """--python naming no program: the no-pip error says why in Japanese, not in Python's
    English ("[Errno 2] No such file or directory")."""
    with pytest.raises(CutoverError) as caught:
        bundle(tmp_path / "out", python=str(tmp_path / "no-python"))
    assert "pip が使えません" in caught.value.text("ja")
    assert "ファイルまたはフォルダーがありません" in caught.value.text("ja")
    assert "Errno" not in caught.value.text("ja")


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("CUTOVER_SLOW_TESTS") != "1",
    reason="a real offline install (about a minute): CUTOVER_SLOW_TESTS=1; .ci/run proves it",
)
def test_bundle_installs_offline_and_runs_the_demo(tmp_path: Path) -> None:
    """The bundle for this machine installs with --no-index into a fresh environment, whose
    cutover runs the demo."""
    made = bundle(tmp_path / "wheels")
    assert (tmp_path / "wheels" / INSTALL_FILE).is_file()
    assert made.wheels[0].endswith("-py3-none-any.whl")
    venv.create(tmp_path / "env", with_pip=True)
    bin_dir = tmp_path / "env" / ("Scripts" if os.name == "nt" else "bin")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    clean["PIP_CONFIG_FILE"] = os.devnull
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--no-index",
            "--find-links",
            ".",
            "cutover",
        ],
        cwd=tmp_path / "wheels",
        env=clean,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [str(bin_dir / "cutover"), "demo", "--out", str(tmp_path / "demo")],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "demo" / "index.html").is_file()
    assert sys.executable != str(bin_dir / "python")


class _FakePip:
    """pip, as `bundle` runs it, without the network: the dependencies' wheels it "downloads"
    are `wheels`, or, with `fail`, it fails as pip does with no network."""

    def __init__(self, wheels: list[str], *, fail: bool = False) -> None:
        self.wheels = wheels
        self.fail = fail

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import cutover.cli.bundle as module

        def own_wheel(python: str, directory: Path) -> str:
            (directory / "cutover-9.9-py3-none-any.whl").write_bytes(b"cutover 9.9")
            return "cutover-9.9-py3-none-any.whl"

        monkeypatch.setattr(module, "_check_pip", lambda python: None)
        monkeypatch.setattr(module, "_own_wheel", own_wheel)
        monkeypatch.setattr(module, "_run_pip", self.run)

    def run(self, command: list[str], code: str) -> None:
        dest = Path(command[command.index("--dest") + 1])
        if self.fail:
            raise CutoverError.of(code, detail="ERROR: No matching distribution found")
        for name in self.wheels:
            (dest / name).write_bytes(name.encode())


def test_a_bundle_made_again_holds_only_its_own_wheels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made again into the same folder (for another platform, as install-offline.md says when
    pip finds no wheel, or for a new version), the folder holds this run's wheels alone, as
    INSTALL.txt lists them and the count says: the last run's stayed beside them. Other
    files in the folder stay."""
    out = tmp_path / "cutover-offline"
    _FakePip(["attrs-1-py3-none-any.whl", "lxml-1-cp312-cp312-manylinux2014_x86_64.whl"]).install(
        monkeypatch
    )
    bundle(out, platform="manylinux2014_x86_64", python_version="3.12")
    (out / "送付記録.txt").write_text("USB 2018-06-01", encoding="utf-8")
    _FakePip(["attrs-1-py3-none-any.whl", "lxml-1-cp312-cp312-win_amd64.whl"]).install(monkeypatch)
    made = bundle(out, platform="win_amd64", python_version="3.12")
    expected = {*made.wheels, INSTALL_FILE, "送付記録.txt"}
    assert {path.name for path in out.iterdir()} == expected
    assert made.wheels == (
        "cutover-9.9-py3-none-any.whl",
        "attrs-1-py3-none-any.whl",
        "lxml-1-cp312-cp312-win_amd64.whl",
    )
    assert "manylinux" not in (out / INSTALL_FILE).read_text(encoding="utf-8-sig")


def test_a_failed_bundle_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pip failing (no network) leaves no half bundle: an earlier bundle stays whole, and a
    folder the run made is removed (it held cutover's wheel alone, and no INSTALL.txt)."""
    out = tmp_path / "cutover-offline"
    _FakePip(["attrs-1-py3-none-any.whl"]).install(monkeypatch)
    bundle(out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    _FakePip([], fail=True).install(monkeypatch)
    with pytest.raises(CutoverError):
        bundle(out, platform="win_amd64")
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    with pytest.raises(CutoverError):
        bundle(tmp_path / "new")
    assert not (tmp_path / "new").exists()
