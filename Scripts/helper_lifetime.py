"""How the test helper servers (moto-endpoint.py, seaweedfs-endpoint.py, fault-proxy.py,
forward-proxy.py, http-shapes.py) stop, shared by all of them.

Every way of stopping ends in os._exit: nothing needs cleaning up, and sys.exit from a
non-main thread would only end that thread. The helpers stop on SIGTERM/SIGINT, on EOF on
stdin (when asked), after a time limit (when given), and always when their parent process
dies, so no test run can leave one behind.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger("helper")

# Called, in order, by terminate() before the process exits: a helper that runs a server as
# a child process (seaweedfs-endpoint.py) registers the child's kill here, since os._exit
# runs no atexit handlers and finalizers.
before_exit: list = []


def terminate(reason: str, status: int = 0) -> None:
    log.info("stopping: %s", reason)
    try:
        for hook in before_exit:
            try:
                hook()
            except Exception:  # noqa: BLE001  (exiting anyway; the hook's failure is logged)
                log.exception("stop hook failed")
        sys.stderr.flush()
    finally:
        os._exit(status)


def run_main(main) -> None:
    """`main(sys.argv[1:])`, then exit with its status through terminate(): os._exit, not
    sys.exit, since interpreter shutdown aborts ("could not acquire lock for <stdin>") while
    the stdin watchdog thread is blocked reading, and the stop hooks run either way."""
    terminate("main returned", status=main(sys.argv[1:]))


def install_stop_conditions(exit_on_stdin_eof: bool, max_seconds: float | None = None) -> None:
    def on_signal(signum: int, _frame: object) -> None:
        terminate(f"received {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # A peer that went away (a client, or a harness that closed our stdout early) must make
    # writes fail with EPIPE, not kill us before we notice another way.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    # Parent-death watchdog. When the parent dies, the kernel gives us a new parent (init or
    # a subreaper), so getppid() changes. PR_SET_PDEATHSIG is not used: it fires when the
    # *thread* that spawned us exits, and a Swift test process may start us from a pool thread
    # that later goes away. A parent that died while Python was still starting has already
    # been replaced by init (pid 1) when we first look: stop at once then.
    original_ppid = os.getppid()
    if original_ppid == 1:
        terminate("parent process died before start-up finished")

    def watch_parent() -> None:
        while True:
            if os.getppid() != original_ppid:
                terminate(f"parent process {original_ppid} died")
            time.sleep(0.5)

    threading.Thread(target=watch_parent, name="parent-watchdog", daemon=True).start()

    if exit_on_stdin_eof:
        def watch_stdin() -> None:
            try:
                while sys.stdin.buffer.read(4096):
                    pass  # anything written to us is ignored; only EOF matters
            except OSError:
                pass
            terminate("stdin reached EOF")

        threading.Thread(target=watch_stdin, name="stdin-watchdog", daemon=True).start()

    if max_seconds is not None:
        def stop_later() -> None:
            time.sleep(max_seconds)
            terminate(f"--max-seconds {max_seconds:g} reached")

        threading.Thread(target=stop_later, name="max-seconds", daemon=True).start()


def reserve_stdout_for_json() -> io.TextIOWrapper:
    """Keep the real stdout for the one JSON line and point fd 1 (and sys.stdout) at stderr,
    so that nothing printed by libraries ends up in the caller's JSON stream."""
    json_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(json_fd, "w", encoding="utf-8")


def wait_forever() -> None:
    """Park the main thread until a stop condition calls os._exit. Python runs signal handlers
    on the main thread between bytecodes, so a SIGTERM that lands just before a blocking call
    (accept, a lock, a long sleep) waits until that call returns: short sleeps bound the wait."""
    while True:
        time.sleep(0.5)

