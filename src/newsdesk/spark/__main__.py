"""`python -m newsdesk.spark run INPUT... --output DIR`: the arguments of `newsdesk spark`."""

import sys

from .job import main

sys.exit(main())
