"""Stand-in for tzlocal: only Globus token listings use it."""
import datetime

def get_localzone():
    return datetime.timezone.utc
