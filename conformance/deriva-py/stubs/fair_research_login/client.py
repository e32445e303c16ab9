"""Stand-in for fair_research_login: only Globus logins use it."""
class LoadError(Exception):
    pass
class NoSavedTokens(LoadError):
    pass
class TokensExpired(LoadError):
    pass
NativeClient = object
