import abc

from django.db import models
from rest_framework.views import APIView


class Project(models.Model):
    __include_in_export__ = False
    archived = False

    class Meta:
        abstract = True


class Endpoint(APIView):
    audited = True

    def dispatch(self, request):
        if self.audited:
            return "audited"
        return "plain"


class ProjectEndpoint(Endpoint):
    enforce_rate_limit = True
    audited = False


class Exporter(abc.ABC):
    __slots_hint__ = True
    include_archived = False


class Local:
    pass


class LocalChild(Local):
    legacy_mode = False


class Member(models.Model):
    email = models.EmailField(null=True)
    notify = True

    def label(self):
        if self.email:
            return self.email
        if self.notify:
            return "notify"
        return "member"
