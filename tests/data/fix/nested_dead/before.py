ENABLE_PREFETCH = False
ENABLE_BOOST = False


def run(job, urgent):
    if ENABLE_PREFETCH:
        prepare(job)
        if ENABLE_BOOST:
            boost(job)
        finish(job)
    if urgent:
        if ENABLE_BOOST:
            boost(job)
        else:
            queue(job)
    else:
        if ENABLE_PREFETCH:
            defer(job)
    for task in job.tasks:
        if ENABLE_BOOST:
            continue
        task.run()
    return job
