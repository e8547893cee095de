"""``make run``: the development web server and a job worker, started and stopped together.

    python -m portal.jobs.devserver [--host 127.0.0.1] [--port 5000]

Starts ``flask jobs worker`` and ``flask run``; when either stops, or on Ctrl-C, both stop.
Without the worker, jobs (an import commit) would wait forever.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

STOP_TIMEOUT = 10  # seconds a process gets to stop before it is killed


def _child_setup():
    # Each child in a process group of its own, so that a Ctrl-C reaches it once, from this
    # launcher; and stopping on SIGINT even when the launcher was started in the background
    # (which makes a shell ignore SIGINT for it, and its children inherit that).
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_together(commands, *, poll=0.2, env=None) -> int:
    """Run ``commands`` side by side until one exits or SIGINT/SIGTERM arrives; stop the rest.

    Returns the exit code of the first process that exited (0 after Ctrl-C).
    """
    processes = [subprocess.Popen(command, preexec_fn=_child_setup, env=env) for command in commands]
    stopping = {"signal": None}

    def forward(signum, frame):
        stopping["signal"] = signum

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    code = 0
    try:
        while stopping["signal"] is None:
            exited = [p for p in processes if p.poll() is not None]
            if exited:
                code = exited[0].returncode
                break
            time.sleep(poll)
    finally:
        # One SIGINT each: the worker then finishes its running jobs (a second one would cut them off).
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in processes:
            try:
                process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Web server and job worker for development.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5000")
    args = parser.parse_args(argv)
    flask = [sys.executable, "-m", "flask"]
    env = {**os.environ, "FLASK_APP": os.environ.get("FLASK_APP") or "wsgi"}
    return run_together([[*flask, "jobs", "worker"], [*flask, "run", "--host", args.host, "--port", str(args.port)]],
                        env=env)


if __name__ == "__main__":
    sys.exit(main())
