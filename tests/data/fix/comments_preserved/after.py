def flush(queue):
    """Send everything that is queued."""
    # Batching was tried in 2021 and turned off.
    # one message per item
    # Keep the order of the queue.
    for item in queue:
        send(item)  # blocking

    # Then acknowledge.
    ack(queue)
    # end of the per-item path
    # Report what was sent.
    report(queue)
