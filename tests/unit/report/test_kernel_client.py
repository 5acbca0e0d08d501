"""The kernel client's waits: a missed wake-up costs one slice, not the whole time limit."""

from __future__ import annotations

import asyncio
from queue import Empty

import pytest

from analysis.report import kernel_client
from analysis.report.kernel_client import SLICE_SECONDS, SlicedChannel, run_quietly


class _Socket:
    """A socket whose message is ready from the start, but whose first ``ready_after`` polls
    say it is not (the event loop's wake-up was missed)."""

    def __init__(self, ready_after: int | None):
        self.ready_after = ready_after
        self.polls: list[int] = []

    async def poll(self, timeout_ms):
        self.polls.append(timeout_ms)
        return self.ready_after is not None and len(self.polls) > self.ready_after


def _channel(socket: _Socket, messages: list[dict] | None = None) -> SlicedChannel:
    channel = SlicedChannel.__new__(SlicedChannel)  # no ZMQ socket needed to test the waiting
    channel.socket = socket
    queue = list(messages or [{"msg_type": "status"}])

    async def receive():
        return queue.pop(0)

    channel._recv = receive
    return channel


def test_a_missed_wake_up_costs_one_slice():
    socket = _Socket(ready_after=1)
    got = asyncio.run(_channel(socket).get_msg(timeout=600))
    assert got == {"msg_type": "status"}
    assert socket.polls == [int(1000 * SLICE_SECONDS)] * 2


def test_waiting_without_a_limit_goes_on_in_slices():
    socket = _Socket(ready_after=3)
    asyncio.run(_channel(socket).get_msg(timeout=None))
    assert socket.polls == [int(1000 * SLICE_SECONDS)] * 4


def test_no_message_within_the_limit_is_empty():
    socket = _Socket(ready_after=None)
    with pytest.raises(Empty):
        asyncio.run(_channel(socket).get_msg(timeout=0.05))
    assert socket.polls and all(timeout <= 50 for timeout in socket.polls)


class _Client:
    """A kernel client answering one execute request among others' messages."""

    def __init__(self, iopub: list[dict], shell: list[dict]):
        self.iopub_channel = _channel(_Socket(ready_after=0), iopub)
        self.shell_channel = _channel(_Socket(ready_after=0), shell)
        self.sent = []

    def execute(self, code, store_history=True):
        self.sent.append((code, store_history))
        return "mine"


def _msg(parent: str, msg_type: str, **content) -> dict:
    return {"parent_header": {"msg_id": parent}, "msg_type": msg_type, "content": content}


def test_run_quietly_waits_for_its_own_idle_then_its_own_reply():
    client = _Client(
        iopub=[
            _msg("other", "status", execution_state="idle"),
            _msg("mine", "status", execution_state="busy"),
            _msg("mine", "stream", text="ignored"),
            _msg("mine", "status", execution_state="idle"),
        ],
        shell=[_msg("other", "execute_reply", status="ok"), _msg("mine", "execute_reply", status="error")],
    )
    reply = asyncio.run(run_quietly(client, "1 + 1", timeout=60))
    assert reply["content"] == {"status": "error"}
    assert client.sent == [("1 + 1", False)]


def test_run_quietly_gives_up_at_its_limit(monkeypatch):
    monkeypatch.setattr(kernel_client, "SLICE_SECONDS", 0.01)
    client = _Client(iopub=[], shell=[])
    client.iopub_channel.socket = _Socket(ready_after=None)
    with pytest.raises(TimeoutError, match="within 0 s"):
        asyncio.run(run_quietly(client, "1 + 1", timeout=0.05))
