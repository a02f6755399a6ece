import email.message
import json.encoder
import typing
from json import loads

from pkg.settings import ENABLE_V2


def handle(conn, job, payload):
    if ENABLE_V2:
        conn.send(b"x")  # shape 2: a method of another object
        job.process()
        email.message.Message()  # shape 3: attributes of outside modules
        json.encoder.encode(payload)
        loads(payload)  # shape 4: json's loads, not pkg.mail.loads
        conn.configure(send=1)  # a keyword argument
        conn.closed = True  # an attribute assignment
        _LegacyMailer().send()
        return _v2(payload, "legacy_name")  # a string
    return payload


def _v2(render, note: typing.Text = ""):  # shape 5: a parameter
    total = 0  # shape 6: locals
    try:
        total += render.size
    except ValueError as error:
        total = error
    import pickle as dumps

    return dumps.dumps((total, note))


class _LegacyMailer:
    def send(self):  # a dead class's own method
        return None
