"""The suite's kernels talk over socket files of their own, never over TCP ports another process could take."""

from __future__ import annotations

import glob
import stat
from pathlib import Path

import nbformat
import nbval.kernel
from nbclient import NotebookClient

from conv_lesson.publish.kernel import SocketFileKernelManager, SyncSocketFileKernelManager


def test_a_notebook_runs_in_a_kernel_over_socket_files_that_are_gone_afterwards():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    client = NotebookClient(nb, kernel_name="python3", kernel_manager_class=SocketFileKernelManager, timeout=60)
    seen = {}
    with client.setup_kernel():
        info = client.km.get_connection_info()
        seen["files"] = sorted(glob.glob(info["ip"] + "-*"))
        seen["kinds"] = {stat.S_ISSOCK(Path(f).stat().st_mode) for f in seen["files"]}
        client.execute_cell(nb.cells[0], 0)
    assert info["transport"] == "ipc"
    assert Path(info["ip"]).is_absolute() and len(seen["files"][0]) <= 107
    assert len(seen["files"]) == 5 and seen["kinds"] == {True}
    assert nb.cells[0].outputs[0]["text"] == "42\n"
    assert glob.glob(info["ip"] + "-*") == []


def test_two_managers_never_share_a_path_and_a_caller_may_still_choose_tcp():
    first, second = SyncSocketFileKernelManager(kernel_name="python3"), SocketFileKernelManager(kernel_name="python3")
    assert first.ip != second.ip
    assert SocketFileKernelManager(kernel_name="python3", transport="tcp").transport == "tcp"


def test_nbval_starts_its_kernels_with_the_socket_file_manager():
    # conftest.py's pytest_configure: what nbval's start_new_kernel makes
    assert nbval.kernel.KernelManager is SyncSocketFileKernelManager
