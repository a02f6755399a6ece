def timer(name):
    return name
