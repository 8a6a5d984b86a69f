from cicero.cli import run

# Guarded: the report process (conversations/console/reports.py) is spawned, and a spawned
# child imports the parent's main module.
if __name__ == "__main__":
    run()
