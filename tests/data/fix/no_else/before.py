import logging

# Switches.

# Set to True to log every order.
TRACE_ORDERS = False
log = logging.getLogger(__name__)


def submit(order):
    validate(order)
    # Trace the order book too.
    if TRACE_ORDERS:
        log.debug("submitting %s", order)
        log.debug("book: %s", order.book)
    send(order)
