"""Shape 1: a method call in the same module (msg.send) is not a call of send()."""

from pkg.settings import ENABLE_V2


def send(msg):
    if ENABLE_V2:
        return _send_v2(msg)
    return msg.send()


def _send_v2(msg):
    return msg.send(v=2)
