from core.flags import LEGACY_EXPORT

if LEGACY_EXPORT:
    print("exporting")
