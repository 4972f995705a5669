"""Custom actions of the Drogowskaz assistant, one module per topic.

The action server (`python -m rasa_sdk --actions actions`) imports this package and
registers every `Action` subclass found in the modules imported here.
"""

from actions import greeting

__all__ = ["greeting"]
