from app.mixed import other_flag
from app.stub import stub_flag
from app.text import text_flag


def view():
    if stub_flag("stub-branch"):
        return 1
    if other_flag("other-sdk"):
        return 2
    if text_flag("text-override"):
        return 3
    return 0
