from app import config


def rerun():
    if config.get_option("runner.fastReruns"):
        return True
    config.set_option("runner.storedOnly", True)
    return config.get_option("runner.fastRerun")
