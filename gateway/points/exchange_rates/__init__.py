"""A tenant's exchange rates over HTTP: set one, import a file, list them."""
