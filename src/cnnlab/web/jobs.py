"""The lab's workers, shared fairly, and work given up when its client leaves.

Requests wait in one queue per client (its address and its ``cnnlab_client`` cookie); the
workers take them in turn, address by address and within an address client by client, so that
one client sending many requests waits for its own, not the others. A client runs one request at
a time, and one address at most ``per_address`` (forged cookies do not make one machine many
clients). The lab keeps three such pools: light requests (a model summary, a practice answer)
never queue behind heavy ones (a large convolution) or uploads (few at a time: memory).

A request whose client disconnects is dropped from its queue, or, once started, stopped at the
next :func:`checkpoint` (the convolution calls it between bands of rows): its worker is free
again within a moment instead of finishing work nobody will read.

>>> checkpoint()  # outside a job: nothing to stop
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

#: who sent a request: (address, cookie); "" when the client sent no cookie
Client = tuple[str, str]

_current = threading.local()  # the job this worker thread is computing


class Cancelled(Exception):
    """The client of the request being computed went away."""


def checkpoint() -> None:
    """Stop here (raise :class:`Cancelled`) if the client of this thread's job has gone."""
    stop = getattr(_current, "stop", None)
    if stop is not None and stop.is_set():
        raise Cancelled


@dataclass
class Job:
    client: Client
    call: Callable[[], Any]
    future: asyncio.Future
    stop: threading.Event = field(default_factory=threading.Event)
    started: bool = False


class FairPool:
    """``workers`` threads taking jobs in turn from each address, then each client."""

    def __init__(self, workers: int, name: str, per_address: int) -> None:
        self.workers, self.per_address = workers, per_address
        self.executor = ThreadPoolExecutor(workers, name)
        self.waiting: dict[str, dict[str, deque[Job]]] = {}  # in turn order: address → cookie
        self.running: Counter[Client] = Counter()
        self.by_address: Counter[str] = Counter()
        self.stopped = 0  # jobs stopped because their client left (for tests and curious people)

    async def run(self, client: Client, call: Callable[[], Any]) -> Any:
        """``call()`` on a worker, in this client's turn. Cancelling the awaiting task (its
        client left) takes the job from its queue, or asks it to stop at its next checkpoint."""
        loop = asyncio.get_running_loop()
        job = Job(client, call, loop.create_future())
        self.waiting.setdefault(client[0], {}).setdefault(client[1], deque()).append(job)
        self._dispatch(loop)
        try:
            return await asyncio.shield(job.future)
        except asyncio.CancelledError:
            job.stop.set()
            if not job.started:
                self._forget(job)
            raise

    def queued(self) -> int:
        return sum(len(q) for clients in self.waiting.values() for q in clients.values())

    def _forget(self, job: Job) -> None:
        clients = self.waiting.get(job.client[0], {})
        queue = clients.get(job.client[1])
        if queue is not None and job in queue:
            queue.remove(job)
            if not queue:
                del clients[job.client[1]]
            if not clients:
                self.waiting.pop(job.client[0], None)

    def _dispatch(self, loop: asyncio.AbstractEventLoop) -> None:
        while sum(self.running.values()) < self.workers:
            job = self._next()
            if job is None:
                return
            job.started = True
            self.running[job.client] += 1
            self.by_address[job.client[0]] += 1
            done = self.executor.submit(_work, job)
            done.add_done_callback(lambda f, j=job: loop.call_soon_threadsafe(self._done, j, f,
                                                                              loop))  # fmt: skip

    def _next(self) -> Job | None:
        """The next job in turn, moving its address and its client to the back of the turn."""
        for address in list(self.waiting):
            if self.by_address[address] >= self.per_address:
                continue
            clients = self.waiting[address]
            for cookie in list(clients):
                if self.running[address, cookie]:
                    continue
                queue = clients.pop(cookie)
                job = queue.popleft()
                if queue:
                    clients[cookie] = queue
                del self.waiting[address]
                if clients:
                    self.waiting[address] = clients
                return job
        return None

    def _done(self, job: Job, done: Future, loop: asyncio.AbstractEventLoop) -> None:
        self.running[job.client] -= 1
        self.by_address[job.client[0]] -= 1
        self.running, self.by_address = +self.running, +self.by_address  # drop the zeros
        if job.stop.is_set():  # nobody waits for it
            self.stopped += isinstance(done.exception(), Cancelled)
            job.future.cancel()
        elif not job.future.done():
            error = done.exception()
            if error is None:
                job.future.set_result(done.result())
            else:
                job.future.set_exception(error)
        self._dispatch(loop)


def _work(job: Job) -> Any:
    _current.stop = job.stop
    try:
        checkpoint()  # its client may have left while it waited
        return job.call()
    finally:
        _current.stop = None
