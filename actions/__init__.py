"""Custom actions of the Drogowskaz assistant, one module per topic.

The action server (`python -m rasa_sdk --actions actions`) imports every module of this
package and registers each `Action` subclass it finds; this file imports nothing, so
data tools (e.g. the content checker) can use `actions.content_format` without rasa-sdk.
"""
