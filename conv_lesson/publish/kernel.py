"""Kernels that talk over socket files, so no other process can take their address.

A kernel reached over TCP is given five ports by its manager, which finds them
free and lets them go; the kernel binds them a second or two later, once Python
has started. On a busy machine another process may take one of them in between
(any outgoing connection gets such a port), and the kernel dies with "Address
already in use". A kernel reached over Unix socket files (ZeroMQ's ``ipc``
transport) binds files whose names are new to it, which nothing else can hold.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from jupyter_client import AsyncKernelManager, KernelManager

__all__ = ["SocketFiles", "SocketFileKernelManager", "SyncSocketFileKernelManager", "socket_file_prefix"]


def socket_file_prefix():
    """A new, short path for a kernel's socket files (``<prefix>-1`` and so on).

    Short because a socket file's path may have at most 107 bytes.

    Returns
    -------
    str
        An absolute path in the temporary folder that no file starts with yet.

    Examples
    --------
    >>> socket_file_prefix() != socket_file_prefix()
    True
    """
    return os.path.join(tempfile.gettempdir(), f"conv-kernel-{uuid.uuid4().hex[:16]}")


class SocketFiles:
    """Mix into a kernel manager: its kernel talks over socket files at a new path.

    Settings passed by the caller win (an explicit ``transport`` or ``ip``).

    Examples
    --------
    >>> SocketFileKernelManager(kernel_name="python3").transport
    'ipc'
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", socket_file_prefix())
        super().__init__(**kwargs)


class SocketFileKernelManager(SocketFiles, AsyncKernelManager):
    """nbclient's kernel manager, over socket files (``NotebookClient(kernel_manager_class=...)``)."""


class SyncSocketFileKernelManager(SocketFiles, KernelManager):
    """The blocking kernel manager over socket files (the one nbval starts its kernels with)."""
