from app.aliased import aliased_fn as run
from app.shared import shared


def nightly(order):
    run(order)
    return shared(order)
