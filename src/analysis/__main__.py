import os
import sys

from analysis.cli import main

code = main()
# Everything is written and closed by now: end without tearing down the interpreter (its
# libraries take a few tenths of a second to unload, after every command).
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
