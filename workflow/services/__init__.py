"""One function per use case; each opens one transaction, checks permission, commits once."""
