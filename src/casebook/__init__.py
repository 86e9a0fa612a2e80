"""casebook: business case studies as a navigable, presentable casebook in the terminal."""

from casebook.startup import pause_collector

__version__ = "0.1.0"

pause_collector()  # while the program starts; see casebook.startup
