import os


def mark_running(port):
    os.environ[f"FASTMCP_RUNNING_{port}"] = "1"
