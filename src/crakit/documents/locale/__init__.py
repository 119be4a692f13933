"""Message catalogues (gettext .po files, one per language) of the conformity documents."""
