"""Territory analytics: selectors over the sales roll-up, shared by pages, API and the
``keyplan analyze`` command."""
