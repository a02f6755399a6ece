import logging

# Switches.

log = logging.getLogger(__name__)


def submit(order):
    validate(order)
    send(order)
