"""Delta: a switch, and registration that runs at import."""
import atexit

atexit.register(print)
