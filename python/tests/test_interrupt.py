"""Ctrl-C during the long phases that add no gates (the Builder's own poll never runs there): the
lut cell's table and lookup layer, a diffusion sampler's noise inputs and its check on the
bit-parallel simulator. KeyboardInterrupt must come within about a second, not when the phase ends
seconds or minutes later."""

import os
import signal
import threading
import time

import pytest

import tcx


def seconds_to_interrupt(call, delay=1.0):
    """Runs call() here (Python's signal handlers run on the main thread) while a timer thread
    sends SIGINT after `delay` seconds, as test_interrupt_in_process_from_timer_thread does;
    returns the seconds from the signal to KeyboardInterrupt."""
    sent = []

    def fire():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(delay, fire)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            call()
    finally:
        timer.cancel()
        timer.join()
    assert sent, "the call ended before the interrupt was sent"
    return time.monotonic() - sent[0]


@pytest.mark.parametrize("call,delay", [
    # 2^24 trial-division primality tests fill the table (tens of seconds), then a layer of 2^23
    # minterms is normalized before the Builder sees a gate
    (lambda: tcx.cell("lut", 24), 1.0),
    # millions of named advice inputs before the first gate (minutes in all)
    (lambda: tcx.diffusion("majority", 4096), 1.0),
    # built in about a second, then checked for seconds with no gate added: lowered to the
    # simulator's bit-parallel program and run (on a slow machine the interrupt may land in the
    # build instead, which polls too)
    (lambda: tcx.diffusion("majority", 32), 2.0),
], ids=["cell-lut-24", "diffusion-majority-4096", "diffusion-majority-32-check"])
def test_interrupt_during_phases_without_gates(call, delay):
    elapsed = seconds_to_interrupt(call, delay)
    assert elapsed < 1.5, f"KeyboardInterrupt came {elapsed:.1f} s after SIGINT"
    assert tcx._core._sleep_interruptible(0.05) is False  # the flag was cleared
    assert tcx.cell("lut", 4).gates > 0  # and the library works again
