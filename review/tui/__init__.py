"""Terminal user interfaces (Textual). Only the CLI's interactive commands
import this package; the core never does."""
