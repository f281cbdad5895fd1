import sys

from twin.core.cli import main

sys.exit(main())
