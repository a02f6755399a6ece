import enum

UNSET = object()
DELIMITER = ".."
READ = 0x1
WRITE = 0x2
PEG = 0x20
RLP = 0x40


class Status:
    OPEN = 1
    CLOSED = 2
    MISSED = 4


class Perm(enum.IntFlag):
    R = 1
    W = 2


def close(ticket, query, value, version, order):
    ticket.status = Status.CLOSED
    query.filter(status=Status.MISSED)
    if ticket.status == Status.OPEN:
        return None
    if value is UNSET:
        return None
    if DELIMITER in version:
        return None
    order.flags = RLP
    if order.flags & PEG:
        return None
    return Handle(mode=READ | WRITE, perm=Perm.R)


class Handle:
    def __init__(self, mode, perm):
        self.mode = mode
        self.perm = perm


def open_tickets(tickets):
    return tickets.filter(Q(status=Status.OPEN) | Q(status=None))


def Q(**lookups):
    return lookups
