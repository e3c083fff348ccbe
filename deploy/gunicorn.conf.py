"""gunicorn settings for one Innsiden web process (deploy/systemd/innsiden-web@.service).

One worker per process with threads: Socket.IO keeps a connection on the worker that
accepted it, so scale by running more processes (one port each) behind nginx's sticky
upstream, not by raising `workers`.
"""

import os
from typing import Any

worker_class = "gthread"
workers = 1
threads = int(os.environ.get("INNSIDEN_THREADS", "50"))
timeout = 60
graceful_timeout = 30
keepalive = 5
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'


def child_exit(_server: Any, worker: Any) -> None:
    # prometheus_client: a dead worker's live gauges no longer count.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
