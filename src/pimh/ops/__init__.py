"""Running the service: backups and restores (``pimh backup``, ``pimh restore``)."""
