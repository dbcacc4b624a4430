"""The content version read is shared by the threads of a process that wait for it at the
same time, and a thread is never answered from a read that began before it came."""

import os
import signal
import threading

from app.cache import content_version
from app.cache.content_version import SharedRead

WAIT = 10  # seconds: only a broken SharedRead waits this long


class Reads:
    """A read that the test lets end: each call is numbered, blocks until released, and
    returns its number as its rows."""

    def __init__(self, fail=()) -> None:
        self.begun = []  # one Event per read begun, set when it has begun
        self.release = []  # one Event per read, which the test sets to let it end
        self.lock = threading.Lock()
        self.fail = set(fail)  # numbers of reads that raise
        for _ in range(10):
            self.begun.append(threading.Event())
            self.release.append(threading.Event())

    def __call__(self):
        with self.lock:
            number = sum(event.is_set() for event in self.begun) + 1
            self.begun[number - 1].set()
        assert self.release[number - 1].wait(WAIT)
        if number in self.fail:
            raise RuntimeError(f"read {number} failed")
        return [number]

    @property
    def count(self) -> int:
        return sum(event.is_set() for event in self.begun)


def start(shared: SharedRead, answers: dict, name: str) -> threading.Thread:
    def ask() -> None:
        try:
            answers[name] = shared()
        except RuntimeError as error:
            answers[name] = error

    thread = threading.Thread(target=ask, daemon=True)  # a broken SharedRead must not hang pytest
    thread.start()
    return thread


def ended(*threads: threading.Thread) -> None:
    for thread in threads:
        thread.join(WAIT)
        assert not thread.is_alive()


def waiting(shared: SharedRead, threads: int) -> None:
    """Until `threads` threads wait on the shared read's condition."""
    for _ in range(WAIT * 100):
        with shared._read_ended:
            if len(shared._read_ended._waiters) >= threads:
                return
        threading.Event().wait(0.01)
    raise AssertionError(f"{threads} threads never waited")


def a_read_running(*, fail=(), wait_seconds: float = 5):
    """A shared read whose first read has begun, in the thread answering "first", and waits
    for the test to let it end."""
    reads = Reads(fail)
    shared = SharedRead(reads, wait_seconds=wait_seconds)
    answers = {}
    first = start(shared, answers, "first")
    assert reads.begun[0].wait(WAIT)
    return reads, shared, answers, first


def test_a_thread_that_comes_during_a_read_waits_for_the_next_one():
    reads, shared, answers, first = a_read_running()
    second = start(shared, answers, "second")
    waiting(shared, 1)
    reads.release[0].set()
    ended(first)
    assert answers["first"] == [1]
    # The read that was running when the second came may not answer it: a commit made
    # just before it came may not be in it.
    assert reads.begun[1].wait(WAIT)
    assert "second" not in answers
    reads.release[1].set()
    ended(second)
    assert answers["second"] == [2]
    assert reads.count == 2


def test_threads_that_come_during_one_read_share_the_next():
    reads, shared, answers, first = a_read_running()
    others = [start(shared, answers, f"other {n}") for n in range(5)]
    waiting(shared, 5)
    reads.release[0].set()
    assert reads.begun[1].wait(WAIT)
    reads.release[1].set()
    ended(first, *others)
    assert answers == {"first": [1], **{f"other {n}": [2] for n in range(5)}}
    assert reads.count == 2  # six requests, two round trips


def test_a_thread_alone_reads_at_once_each_time():
    reads = Reads()
    shared = SharedRead(reads)
    for number in (1, 2, 3):
        reads.release[number - 1].set()
        assert shared() == [number]


def test_a_failed_read_answers_its_waiters_with_nothing_and_the_next_one_reads_again():
    reads, shared, answers, first = a_read_running(fail=(2,))
    second, third = start(shared, answers, "second"), start(shared, answers, "third")
    waiting(shared, 2)
    reads.release[0].set()
    reads.release[1].set()
    ended(first, second, third)
    failed = [name for name in ("second", "third") if isinstance(answers[name], RuntimeError)]
    assert len(failed) == 1  # the thread that ran read 2 sees its error (logged as any other)
    assert [answers[name] for name in ("second", "third") if name not in failed] == [None]  # not served kept
    reads.release[2].set()
    assert shared() == [3]


def test_a_thread_stops_waiting_for_a_read_that_does_not_end(caplog):
    reads, shared, answers, first = a_read_running(wait_seconds=0.2)
    assert shared() is None  # rendered, not served kept: never a version older than the request
    assert "No content version read ended within 0.2 s" in caplog.text
    reads.release[0].set()
    ended(first)
    assert answers["first"] == [1]


def test_each_app_reads_the_version_through_its_shared_read(app):
    shared = app.extensions[content_version.SHARED_READ]
    assert isinstance(shared, SharedRead)
    ended = shared._ended
    assert content_version.current() is not None
    assert shared._ended == ended + 1


def test_a_process_forked_during_a_read_reads_for_itself():
    """gunicorn forks its workers; a child forked while its parent read (or held the lock)
    must not wait for a read that no thread of its own runs."""
    reads, shared, answers, first = a_read_running()
    with shared._read_ended:  # the lock held, too, as another thread might at the fork
        pid = os.fork()
        if pid == 0:  # the child: only this thread, and the read running in the parent only
            answered = False
            try:
                signal.alarm(WAIT)  # a child that waits for ever is ended, and fails
                shared._read = lambda: ["the child's"]
                answered = shared() == ["the child's"]
            finally:
                os._exit(0 if answered else 1)  # never back into pytest
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    reads.release[0].set()
    ended(first)
    assert answers["first"] == [1]
