def cli_main():
    return 0
