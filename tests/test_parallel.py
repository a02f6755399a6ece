"""The process pool gives exactly the findings of a single-process run."""

from __future__ import annotations

from flaglint import api, parallel


def test_pool_and_serial_runs_agree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_POOL", 2)
    (tmp_path / "flags.py").write_text("ENABLE_X = False\nOLD = 0x20\n")
    for index in range(6):
        (tmp_path / f"m{index}.py").write_text(
            f"import flags\n\ndef f{index}(order):\n    if flags.ENABLE_X:\n        g()\n"
            f"    if order.flags & flags.OLD:\n        h()\n"
        )
    (tmp_path / "bad.py").write_text("def f(:\n")
    serial = api.check(["."], cwd=tmp_path, jobs=1).findings
    pooled = api.check(["."], cwd=tmp_path, jobs=2).findings
    assert [f.to_dict() for f in pooled] == [f.to_dict() for f in serial]
    assert [(f.code, f.path) for f in serial][:2] == [("FL000", "bad.py"), ("FL001", "flags.py")]


def test_a_dying_worker_costs_one_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_POOL", 2)
    monkeypatch.setattr(parallel, "_extract", _extract_or_die)
    for name in ("a.py", "crash.py", "c.py", "d.py"):
        (tmp_path / name).write_text("X = 1\n")
    findings = api.check(["."], cwd=tmp_path, jobs=2).findings
    assert [(f.code, f.path) for f in findings] == [("FL000", "crash.py")]
    assert "worker process died" in findings[0].message


def _extract_or_die(source):
    import os

    if source.display == "crash.py":
        os._exit(1)
    from flaglint.extract import extract_file

    return extract_file(source.path, source.display, source.module, source.is_package)


def _two_modules(tmp_path):
    (tmp_path / "flags.py").write_text("ENABLE_X = False\n")
    (tmp_path / "m.py").write_text("import flags\nif flags.ENABLE_X:\n    g()\n")


def test_the_collector_is_paused_while_results_arrive_and_back_on_after(tmp_path, monkeypatch):
    import gc

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_POOL", 2)
    _two_modules(tmp_path)
    seen = []
    real = parallel._finish
    monkeypatch.setattr(parallel, "_finish", lambda *args: seen.append(gc.isenabled()) or real(*args))
    was = gc.isenabled()
    gc.enable()
    try:
        for jobs in (1, 2):  # in this process, and from the pool
            findings = api.check(["."], cwd=tmp_path, jobs=jobs).findings
            assert gc.isenabled()
            assert [(f.code, f.path) for f in findings] == [("FL001", "flags.py"), ("FL002", "m.py")]
    finally:
        gc.enable() if was else gc.disable()
    assert seen == [False] * 4


def test_a_collector_the_caller_turned_off_stays_off(tmp_path, monkeypatch):
    import gc

    monkeypatch.chdir(tmp_path)
    _two_modules(tmp_path)
    was = gc.isenabled()
    gc.disable()
    try:
        api.check(["."], cwd=tmp_path, jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()


def _extract_reporting_gc(source, data=None):
    import gc

    from flaglint.facts import FileFacts, Problem

    return FileFacts(
        source.display, source.module, source.is_package, problem=Problem(f"collector on: {gc.isenabled()}")
    )


def test_pool_workers_collect_garbage_although_the_parent_paused_its_collector(tmp_path, monkeypatch):
    # regression: workers forked while the parent's collector was paused
    # inherited the pause and never collected (a worker grew past 1 GiB)
    import gc

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_POOL", 2)
    monkeypatch.setattr(parallel, "_extract", _extract_reporting_gc)
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text("X = 1\n")
    was = gc.isenabled()
    gc.enable()
    try:
        findings = api.check(["."], cwd=tmp_path, jobs=2).findings
    finally:
        gc.enable() if was else gc.disable()
    assert [(f.code, f.path, f.message) for f in findings] == [
        ("FL000", name, "collector on: True") for name in ("a.py", "b.py", "c.py")
    ]


class _NoProcesses:
    """A ProcessPoolExecutor where no process can be started: a container
    without /dev/shm (NotImplementedError from the semaphore check) or at
    its process limit (fork: BlockingIOError)."""

    def __init__(self, *args, error: Exception, **kwargs):
        raise error


def test_a_pool_that_cannot_start_extracts_in_this_process(tmp_path, monkeypatch):
    """Speed only, never an exit: with no worker processes to be had, the
    run extracts every file itself and finds what a serial run finds
    (it exited 3, "internal error", before)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_POOL", 2)
    (tmp_path / "flags.py").write_text("ENABLE_X = False\n")
    for index in range(4):
        (tmp_path / f"m{index}.py").write_text(
            f"import flags\n\ndef f{index}():\n    if flags.ENABLE_X:\n        g()\n"
        )
    serial = api.check(["."], cwd=tmp_path, jobs=1).findings
    for error in (NotImplementedError("no sem_open"), BlockingIOError(11, "Resource temporarily unavailable")):
        monkeypatch.setattr(
            parallel, "ProcessPoolExecutor", lambda *args, error=error, **kwargs: _NoProcesses(error=error)
        )
        pooled = api.check(["."], cwd=tmp_path, jobs=2).findings
        assert [f.to_dict() for f in pooled] == [f.to_dict() for f in serial]
        assert [(f.code, f.path) for f in serial][:2] == [("FL001", "flags.py"), ("FL002", "m0.py")]
