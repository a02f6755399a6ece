import functools

FLAGS = {
    "THUMBNAILS": False,
    "SCREENSHOTS": False,
    "TAGGING": True,
    "NOBODY_READS": False,
}


def is_feature_enabled(name):
    return FLAGS.get(name, False)


def validate_feature_flags(feature_flags):
    """A decorator: the view answers 404 unless every flag is on."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not all(is_feature_enabled(flag) for flag in feature_flags):
                return None
            return view(*args, **kwargs)

        return wrapper

    return decorate
