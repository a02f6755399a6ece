def run(job, urgent):
    if urgent:
        queue(job)
    for task in job.tasks:
        task.run()
    return job
