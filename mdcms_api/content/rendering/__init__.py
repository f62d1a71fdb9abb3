"""The renderer's parts, one concern per module; the public entry is ``content.render``."""
