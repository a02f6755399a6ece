import os


def serve():
    if os.getenv("FASTMCP_RUNNING_DEBUG", "0") == "1":
        trace()
    if os.getenv("ENABLE_BETA", "0") == "1":
        beta()
