#!/usr/bin/python3
# The operator's end of a serial line, for the image build's AOT training run and the boot test: copies everything
# the line prints into LOG (appended, unbuffered) and types what is written into the FIFO IN onto the line, one
# byte every 2 ms as a person or a terminal program would, until it is terminated. lib/operator.sh drives it.
#   serial-operator.py attach TTY LOG IN    an existing terminal (qemu's -chardev pty): raw, no echo
#   serial-operator.py create LINK LOG IN   a new pty pair; the path of its console side is written to LINK
import os
import pty
import select
import sys
import time
import tty


def main():
    mode, path, log_path, in_path = sys.argv[1:5]
    if mode == "attach":
        line = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(line)
    elif mode == "create":
        line, console = pty.openpty()  # console stays open here too: the appliance may close and reopen it
        tty.setraw(console)
        with open(path + ".tmp", "w") as f:
            f.write(os.ttyname(console) + "\n")
        os.rename(path + ".tmp", path)
    else:
        sys.exit("usage: serial-operator.py attach|create PATH LOG IN")
    if not os.path.exists(in_path):
        os.mkfifo(in_path)
    typed = os.open(in_path, os.O_RDWR | os.O_NONBLOCK)  # RDWR: no end of file when a writer closes
    log = open(log_path, "ab", buffering=0)
    pending = b""
    while True:
        ready, _, _ = select.select([line, typed], [], [], 0.05)
        if line in ready:
            try:
                data = os.read(line, 4096)
            except OSError:  # EIO: the far end is gone for now (qemu not yet attached, a reboot)
                data = b""
            if data:
                log.write(data)
            else:
                time.sleep(0.1)
        if typed in ready:
            pending += os.read(typed, 4096)
        if pending:
            os.write(line, pending[:1])
            pending = pending[1:]
            time.sleep(0.002)


if __name__ == "__main__":
    main()
