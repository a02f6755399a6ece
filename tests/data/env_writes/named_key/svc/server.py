import os


def run(port):
    env_key = f"FASTMCP_RUNNING_{port}"
    if not os.environ.get(env_key):
        os.environ[env_key] = "1"


def rebound(name):
    key = "ENABLE_CACHE"
    key = name
    os.environ[key] = "1"
