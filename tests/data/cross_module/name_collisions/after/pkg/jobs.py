def process():
    return "processed"
