"""The address book: search, adding and editing by hand, importing a list, past participants who agreed."""
