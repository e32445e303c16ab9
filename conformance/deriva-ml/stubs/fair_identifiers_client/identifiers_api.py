"""The names deriva-py imports; minting an identifier says it is not available here."""


class IdentifierClientError(Exception):
    pass


class AccessTokenAuthorizer:
    def __init__(self, *args, **kwargs):
        raise IdentifierClientError("fair-identifiers-client is a stand-in in Cairn's conformance run: no MINIDs")


class IdentifierClient(AccessTokenAuthorizer):
    pass
