"""Server-rendered page modules, one per page group."""
