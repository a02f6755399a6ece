from .base import flag_set
