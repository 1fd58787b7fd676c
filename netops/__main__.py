from netops.cli.main import run

run()
