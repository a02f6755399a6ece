import sys

ENABLE_TURBO = False


def run(args):
    if ENABLE_TURBO:
        print("turbo")
    match args:
        case [x, *_] if ENABLE_TURBO:
            return _turbo(x)
        case [x, *_] if not ENABLE_TURBO:
            return x
    match sys.stdin.readline():
        case "go" if ENABLE_TURBO:
            _turbo(1)
    match args:
        case [] if ENABLE_TURBO:
            _turbo(0)
    return None


def _turbo(x):
    return x * 2
