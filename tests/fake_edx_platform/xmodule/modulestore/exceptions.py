class ItemNotFoundError(Exception):
    """As in xmodule.modulestore.exceptions."""
