from app.defaults import DEFAULT_FLAGS

FLAGS = dict(DEFAULT_FLAGS)
FLAGS.update({"EXPORT_CSV": False})
FLAGS["BULK_EDIT"] = False


def feature_on(name):
    if name in FLAGS:
        return FLAGS[name]
    return False
