autoconfig = False


def configure(ctx):
    if autoconfig:
        ctx.reconfigure()
    return ctx
