"""kill -9 in the middle of a batch: a rerun ends with every document once and the same groups as a clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
TESTS = Path(__file__).resolve().parent

CHILD = textwrap.dedent("""
    import sys, time
    sys.path[:0] = [{src!r}, {tests!r}]
    from test_store_dedup import copies, stories
    from dateline.store import Store
    anns = copies(stories(20, seed=3), 3, seed=4)
    st = Store({url!r})
    st.add(anns[:20])
    real = Store._regroup
    def stall(self, conn, items):
        real(self, conn, items)
        print("in-batch", flush=True)
        time.sleep(60)  # killed here, inside the open transaction
    Store._regroup = stall
    st.add(anns[20:40])
""")


def _ingest_all(url: str) -> dict:
    sys.path[:0] = [str(TESTS)]
    from test_store_dedup import copies, stories

    from dateline.store import Store

    anns = copies(stories(20, seed=3), 3, seed=4)
    st = Store(url)
    for i in range(0, len(anns), 20):
        st.add(anns[i:i + 20])
    s = st.summary()
    st.close()
    return s


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_9_mid_batch_then_rerun(backend, tmp_path, request):
    url = f"sqlite:///{tmp_path / 'crash.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(src=str(SRC), tests=str(TESTS), url=url)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "in-batch"
        time.sleep(0.2)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    from dateline.store import Store

    st = Store(url)
    assert st.summary()["documents"] == 20  # only the committed batch
    st.close()
    resumed = _ingest_all(url)
    clean = _ingest_all(f"sqlite:///{tmp_path / 'clean.db'}")
    assert resumed == clean and resumed["documents"] == 60
