"""Stand-in for bdbag's keychain: only Globus logins use it."""
