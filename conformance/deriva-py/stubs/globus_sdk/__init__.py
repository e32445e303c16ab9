"""Stand-in for globus_sdk: only Globus logins use it."""
class GlobusError(Exception):
    pass
class GlobusAPIError(GlobusError):
    pass
class AuthAPIError(GlobusAPIError):
    pass
ConfidentialAppAuthClient = AuthClient = AccessTokenAuthorizer = RefreshTokenAuthorizer = object
