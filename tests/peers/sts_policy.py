"""postfix-mta-sts-resolver's reading of MTA-STS policy files, as JSON (tests/integration/peers.rs).

Usage: python sts_policy.py FILE...   ->   one JSON list, one object per file:
  {"file": ..., "valid": bool, "mode": str|null, "max_age": int|null, "mx": [str]}

The text is parsed by the peer's own parser (postfix_mta_sts_resolver.utils.parse_mta_sts_policy)
and judged by the peer's own validation: the block of STSResolver.resolve between the comments
"# Validate policy" and "# Policy is valid", taken from the installed source and run unchanged (the
rest of resolve() is DNS and HTTPS, which the fixture files stand in for). The body is decoded as
the resolver decodes a response served with `Content-Type: text/plain; charset=utf-8`; a body that
does not decode is a fetch error there, so invalid here. Fails loudly when the block is not found.
"""

import inspect
import json
import sys
import textwrap

from postfix_mta_sts_resolver import resolver
from postfix_mta_sts_resolver.resolver import STSFetchResult
from postfix_mta_sts_resolver.utils import parse_mta_sts_policy


def peer_validation():
    """The peer's validation code, as a function of the parsed policy."""
    src = textwrap.dedent(inspect.getsource(resolver.STSResolver.resolve))
    lines = src.splitlines()
    start = next((i for i, l in enumerate(lines) if l.strip() == "# Validate policy"), None)
    end = next((i for i, l in enumerate(lines) if l.strip() == "# Policy is valid. Returning result."), None)
    if start is None or end is None or end + 1 >= len(lines):
        sys.exit("FATAL: STSResolver.resolve no longer has its '# Validate policy' block; "
                 "update tests/peers/sts_policy.py for postfix-mta-sts-resolver "
                 + getattr(resolver, "__version__", "?"))
    block = textwrap.dedent("\n".join(lines[start:end + 2]))
    body = "def validate(pol, mta_sts_record):\n" + textwrap.indent(block, "    ") + "\n"
    scope = {"STSFetchResult": STSFetchResult}
    exec(compile(body, resolver.__file__ + " (validation block)", "exec"), scope)  # noqa: S102
    return scope["validate"]


def main(paths):
    validate = peer_validation()
    out = []
    for path in paths:
        with open(path, "rb") as f:
            raw = f.read()
        entry = {"file": path, "valid": False, "mode": None, "max_age": None, "mx": []}
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            out.append(entry)
            continue
        pol = parse_mta_sts_policy(text)
        status, result = validate(pol, {"id": "fixture"})
        entry["valid"] = status == STSFetchResult.VALID
        if entry["valid"]:
            _, p = result
            entry["mode"] = p.get("mode")
            entry["max_age"] = p.get("max_age")
            entry["mx"] = list(p.get("mx", []))
        out.append(entry)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
