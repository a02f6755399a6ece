# keys retired from the flag service: the wrapper answers them from here
STALE_FLAGS = {
    "ff_only_override_off": False,
    "ff_only_override_on": True,
}

# a dict no wrapper answers from: naming a key here decides nothing
LABELS = {
    "ff_in_other_dict": "Other dict",
}
