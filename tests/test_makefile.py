"""The newcomer's paths through the Makefile: a virtualenv that fits the Python, and
`make run` on another port."""

import glob
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _version(python: Path) -> tuple[int, int]:
    out = subprocess.run(
        [str(python), "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True, text=True, check=True
    ).stdout
    major, minor = out.split()
    return int(major), int(minor)


def _old_python() -> str | None:
    """A real Python older than 3.11 on this machine, if there is one."""
    candidates = [shutil.which(f"python3.{minor}") for minor in (10, 9, 8)]
    candidates += sorted(glob.glob("/root/.pyenv/versions/3.10*/bin/python3.10"))
    for candidate in filter(None, candidates):
        try:
            if _version(Path(candidate)) < (3, 11):
                return candidate
        except (OSError, subprocess.CalledProcessError):
            continue
    return None


pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def test_a_venv_whose_python_no_longer_runs_is_made_again(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(tmp_path / "removed-pyenv-version" / "python3.10")
    result = make("venv", f"VENV={venv}", f"PYTHON={sys.executable}")
    assert result.returncode == 0, result.stderr
    assert "making it again" in result.stdout
    assert _version(venv / "bin" / "python") >= (3, 11)
    # A venv that works is left as it is.
    again = make("venv", f"VENV={venv}", f"PYTHON={sys.executable}")
    assert again.returncode == 0 and again.stdout == ""


def test_a_venv_made_by_a_too_old_python_is_made_again(tmp_path):
    old = _old_python()
    if old is None:
        pytest.skip("no Python older than 3.11 on this machine to make an old venv with")
    venv = tmp_path / "venv"
    subprocess.run([old, "-m", "venv", "--without-pip", str(venv)], check=True)
    assert _version(venv / "bin" / "python") < (3, 11)
    result = make("venv", f"VENV={venv}", f"PYTHON={sys.executable}")
    assert result.returncode == 0, result.stderr
    assert "making it again" in result.stdout
    assert _version(venv / "bin" / "python") >= (3, 11)


def test_a_too_old_or_missing_python_is_refused_with_what_to_do(tmp_path):
    pythons = [str(tmp_path / "no-such-python")] + ([_old_python()] if _old_python() else [])
    for python in pythons:
        result = make("venv", f"VENV={tmp_path / 'venv'}", f"PYTHON={python}")
        assert result.returncode != 0
        assert "needs Python 3.11 or newer" in result.stderr and "PYTHON=python3.12" in result.stderr, result.stderr
        assert not (tmp_path / "venv").exists()


def _run_line(*args: str) -> str:
    venv = Path(sys.executable).parent.parent  # a working venv: nothing to make first
    result = make("-n", "run", f"VENV={venv}", *args)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if " run --host " in line]
    return line


def test_make_run_serves_on_the_port_asked_for_and_links_follow(monkeypatch):
    monkeypatch.delenv("BASE_URL", raising=False)
    assert _run_line().startswith('BASE_URL="http://127.0.0.1:5000" ')
    line = _run_line("PORT=5001")
    assert line.startswith('BASE_URL="http://127.0.0.1:5001" ') and line.endswith("run --host 127.0.0.1 --port 5001")
    assert _run_line("HOST=0.0.0.0", "PORT=8080").endswith("run --host 0.0.0.0 --port 8080")
    assert _run_line("PORT=5001", "BASE_URL=https://samverkan.test").startswith('BASE_URL="https://samverkan.test" ')
    monkeypatch.setenv("BASE_URL", "http://from.the.environment:9000")
    assert _run_line("PORT=5001").startswith('BASE_URL="http://from.the.environment:9000" ')
