from pkg.app import send
from pkg.legacy import handle
from pkg.mail import render


def main(conn, job, payload):
    send(conn)
    return handle(conn, job, render(payload))
