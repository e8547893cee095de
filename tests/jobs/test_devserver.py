"""``make run``'s launcher: the web server and the worker start and stop together."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from portal.jobs.devserver import run_together

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(60)"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _pid(path, timeout=10):
    deadline = time.monotonic() + timeout
    while not (path.exists() and path.read_text()):
        assert time.monotonic() < deadline, f"{path} was never written"
        time.sleep(0.05)
    return int(path.read_text())


def test_when_one_process_exits_the_other_is_stopped(tmp_path):
    started = time.monotonic()
    code = run_together([[sys.executable, "-c", SLEEPER, str(tmp_path / "a")],
                         [sys.executable, "-c", "import time; time.sleep(0.5); raise SystemExit(3)"]], poll=0.05)
    assert code == 3 and time.monotonic() - started < 10
    assert not _alive(_pid(tmp_path / "a"))


def test_a_signal_to_the_launcher_stops_both(tmp_path):
    script = ("import sys; from portal.jobs.devserver import run_together; "
              f"sys.exit(run_together([[sys.executable, '-c', {SLEEPER!r}, sys.argv[1]], "
              f"[sys.executable, '-c', {SLEEPER!r}, sys.argv[2]]], poll=0.05))")
    launcher = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "a"), str(tmp_path / "b")], cwd=ROOT)
    try:
        pids = [_pid(tmp_path / "a"), _pid(tmp_path / "b")]
        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(15) == 0
        assert not any(_alive(pid) for pid in pids)
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
