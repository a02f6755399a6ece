def handle(conn, job, payload):
    return payload
