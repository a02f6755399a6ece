# keys retired from the flag service: their value wins, whatever the file says
STALE_FLAGS = {
    "ff_stale_off": False,
    "ff_stale_on": True,
}
