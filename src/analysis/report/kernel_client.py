"""A kernel client whose every wait for a message looks again at least twice a second, and the
waits the kernel pool makes on it (`until_ready`, `run_quietly`).

jupyter_client's asyncio channels wait for a ZMQ socket to become readable through the event
loop. Under load that wake-up can be missed: a cell's reply sits in the socket while the client
sleeps on until its time limit (600 s for a cell), then finds it. Measured on a busy two-core
machine, `notebooks/explore.ipynb` stalled that way in three runs out of five, and a whole test
run took 11 minutes, not 2.5. Waiting in slices of ``SLICE_SECONDS`` bounds a missed wake-up's
cost to one slice; each slice ends with a look at the socket itself.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Type

SLICE_SECONDS = 0.5


class SlicedChannel(AsyncZMQSocketChannel):
    """A channel whose ``get_msg`` waits in slices (see the module's docstring)."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:  # type: ignore[override]
        """The next message; ``timeout`` seconds at most (None: as long as it takes).

        Raises
        ------
        queue.Empty
            If no message came within ``timeout``.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SLICE_SECONDS if deadline is None else max(0.0, deadline - time.monotonic())
            if await self.socket.poll(int(1000 * min(SLICE_SECONDS, left))):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class SlicedKernelClient(AsyncKernelClient):
    """An asyncio kernel client on ``SlicedChannel``s."""

    shell_channel_class = Type(SlicedChannel)
    iopub_channel_class = Type(SlicedChannel)
    stdin_channel_class = Type(SlicedChannel)
    control_channel_class = Type(SlicedChannel)


async def run_quietly(kc: AsyncKernelClient, code: str, timeout: float) -> dict[str, Any]:
    """Execute ``code`` (no history, outputs ignored) and return the kernel's reply.

    As ``execute_interactive`` in jupyter_client, but waiting through the channels' ``get_msg``,
    so through ``SlicedChannel`` on a ``SlicedKernelClient``.

    Raises
    ------
    TimeoutError
        If the kernel has not finished within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    msg_id = kc.execute(code, store_history=False)
    try:
        while True:  # IOPub says idle once the code has run and every output is sent
            msg = await kc.iopub_channel.get_msg(timeout=max(0.0, deadline - time.monotonic()))
            mine = msg["parent_header"].get("msg_id") == msg_id
            if mine and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        while True:
            reply = await kc.shell_channel.get_msg(timeout=max(0.0, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply
    except Empty:
        raise TimeoutError(f"the kernel did not finish within {timeout:.0f} s") from None


async def until_ready(kc: Any, timeout: float) -> None:
    """Wait until the kernel answers on its shell channel and its IOPub channel is connected.

    ``wait_for_ready`` in jupyter_client does this too, then listens until IOPub has been quiet
    for 0.2 s. That wait is left out here: every later message is matched to its request by the
    request's id (``run_quietly``, nbclient), so a late start-up message is ignored.

    Raises
    ------
    RuntimeError
        If the kernel dies, or has not answered within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        kc.kernel_info()
        try:
            reply = await kc.shell_channel.get_msg(timeout=1)
        except Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply":
            try:
                await kc.iopub_channel.get_msg(timeout=0.2)  # any message: IOPub is connected
            except Empty:
                pass
            else:
                return
        if not await kc.is_alive():
            raise RuntimeError("the kernel died before it answered")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kernel did not answer within {timeout:.0f} s")
