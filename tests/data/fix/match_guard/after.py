import sys


def run(args):
    match args:
        case [x, *_]:
            return x
    sys.stdin.readline()
    return None
