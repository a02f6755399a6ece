from django.conf import settings

from web.conf import docker


def metrics():
    if settings.ENABLE_CONTAINER_METRICS:  # named by the Dockerfile
        return "metrics"
    if docker.ENABLE_CONTAINER_METRICS:  # the same constant: the deployment may set it
        return "also"
    return ""
