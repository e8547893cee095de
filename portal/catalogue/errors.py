class CatalogueError(Exception):
    """A rule of the catalogue refused an action; ``message`` is for users, ``field`` names the
    form field it belongs to (None: the whole form)."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field
