#!/usr/bin/env python3
from app import settings

settings.ENABLE_AUDIT = True
