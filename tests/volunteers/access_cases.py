from tests.access import AccessCase

CASES = [
    # The language switch answers every POST with a redirect back.
    AccessCase("set-language", method="post", ok=(302,), data={"language": "en", "next": "/"}),
]
