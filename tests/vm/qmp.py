#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A QMP client for the VM harnesses (python3 standard library only).

  qmp.py SOCKET COMMAND ['JSON-ARGUMENTS']   run one QMP command, print its reply; exit 1 on error
  qmp.py --follow SOCKET CONSOLE             run every "EFD-QMP <command>" line the guest prints
                                             on its serial console (the file qemu writes), once
                                             each, until qemu closes the socket

The guest asks for host actions by printing a line: "EFD-QMP inject-nmi" runs
{"execute": "inject-nmi"}; "EFD-QMP system_powerdown" presses the ACPI power button (the
guest needs button.ko). The follower waits on inotify (the console file) and on the QMP
socket, never on a timer.
"""
import ctypes
import json
import os
import re
import select
import socket
import sys
import time

IN_MODIFY = 0x2
LINE = re.compile(rb"EFD-QMP ([a-z][a-z0-9_-]*)\r?$")  # inject-nmi, system_powerdown


def connect(path, wait_s=60):
    """Connects to qemu's QMP socket (qemu creates it at start) and leaves command mode on."""
    deadline = time.monotonic() + wait_s
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            break
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            # qemu has not created the socket yet: nothing to wait on but time.
            time.sleep(0.05)
    f = s.makefile("rwb", buffering=0)
    greeting = json.loads(f.readline())
    if "QMP" not in greeting:
        raise RuntimeError(f"not a QMP greeting: {greeting}")
    execute(f, "qmp_capabilities")
    return s, f


def execute(f, command, arguments=None):
    msg = {"execute": command}
    if arguments:
        msg["arguments"] = arguments
    f.write(json.dumps(msg).encode() + b"\n")
    while True:
        reply = json.loads(f.readline())
        if "event" in reply:
            continue
        if "error" in reply:
            raise RuntimeError(f"{command}: {reply['error']}")
        return reply.get("return")


def follow(sock_path, console):
    s, f = connect(sock_path)
    libc = ctypes.CDLL(None, use_errno=True)
    ino = libc.inotify_init1(os.O_CLOEXEC)
    while not os.path.exists(console):
        time.sleep(0.05)
    if ino < 0 or libc.inotify_add_watch(ino, console.encode(), IN_MODIFY) < 0:
        raise OSError(ctypes.get_errno(), "inotify")
    pos, rest = 0, b""
    with open(console, "rb") as con:
        while True:
            con.seek(pos)
            data = con.read()
            pos += len(data)
            lines = (rest + data).split(b"\n")
            rest = lines.pop()
            for line in lines:
                m = LINE.search(line)
                if m:
                    cmd = m.group(1).decode()
                    print(f"qmp.py: {cmd}: {execute(f, cmd)}", flush=True)
            ready, _, _ = select.select([ino, s], [], [])
            if ino in ready:
                os.read(ino, 4096)
            if s in ready and not f.readline():  # an event (ignored), or qemu exited
                return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--follow":
        return follow(argv[2], argv[3])
    if len(argv) in (3, 4) and not argv[1].startswith("-"):
        _, f = connect(argv[1])
        args = json.loads(argv[3]) if len(argv) == 4 else None
        print(json.dumps(execute(f, argv[2], args)))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, RuntimeError, ValueError) as e:
        sys.stderr.write(f"qmp.py: {e}\n")
        sys.exit(1)
