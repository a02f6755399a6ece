from app.options import flags


def run():
    if flags.fast_path:
        return "fast"
    return "slow"
