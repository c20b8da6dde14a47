"""Terminal user interfaces (Textual). Only the CLI's interactive commands
import this package; the core never does.

One app (``app.ReviewApp``) holds every screen (``screens/``, registered by
name in ``registry``); shared widgets are in ``widgets/``, styles in the one
``app.tcss``; database work runs off the UI thread through ``dbwork``; keys
are remappable through the user's keymap file (``keymap``).
"""
