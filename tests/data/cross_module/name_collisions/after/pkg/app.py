"""Shape 1: a method call in the same module (msg.send) is not a call of send()."""


def send(msg):
    return msg.send()
