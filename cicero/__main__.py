from cicero.cli import run

run()
