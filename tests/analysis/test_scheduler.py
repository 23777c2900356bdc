"""--executor tcp://HOST:PORT: the solves of a command on a Dask scheduler that was already running."""

from __future__ import annotations

from pathlib import Path

from distributed import LocalCluster

from tests.analysis.test_compare import compare_small, small_files


def test_a_comparison_on_an_existing_scheduler_is_the_one_made_locally(tmp_path: Path) -> None:
    files = small_files(tmp_path)
    local, expected = compare_small(files, tmp_path / "local.json")
    assert local.exit_code == 0, local.output
    cluster = LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0"
    )
    with cluster:
        address = cluster.scheduler_address
        result, found = compare_small(files, tmp_path / "dask.json", "--executor", address)
        assert result.exit_code == 0, result.output
        (worker,) = cluster.scheduler.workers
    assert address.startswith("tcp://")
    assert f"solving ({worker})" in result.stderr, "each solve ran on the scheduler's worker"
    assert found == expected
