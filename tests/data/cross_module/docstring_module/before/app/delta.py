"""Delta: a switch, and registration that runs at import."""
import atexit

ENABLE_DELTA = False
atexit.register(print)
