import sys

from qe.cli import main

sys.exit(main())
