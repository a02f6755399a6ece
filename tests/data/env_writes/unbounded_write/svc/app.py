import os


def serve():
    if os.getenv("ENABLE_BETA", "0") == "1":
        beta()
