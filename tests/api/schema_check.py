#!/usr/bin/env python3
"""Validates a JSON reply against an Open311 JSON Schema (tests/api/open311-schemas/).

usage: schema_check.py SCHEMA.json REPLY.json

The schemas refer to each other by file name ("$ref": "request.json"); the references are
inlined from the schema's folder, so any jsonschema version works (Debian's
python3-jsonschema, installed by scripts/deps.sh). Formats are checked strictly here as
well, whatever the library checks: every "date-time" must be W3C/RFC 3339 with a timezone
and every "uri" absolute. Exit status 0 when valid, 1 with the errors on stderr.
"""
import json
import os
import re
import sys

import jsonschema

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def inline(node, folder):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            with open(os.path.join(folder, ref), encoding="utf-8") as f:
                target = inline(json.load(f), folder)
            rest = {k: inline(v, folder) for k, v in node.items() if k != "$ref"}
            target.update(rest)
            return target
        return {k: inline(v, folder) for k, v in node.items()}
    if isinstance(node, list):
        return [inline(v, folder) for v in node]
    return node


def formats(schema, value, path, errors):
    """Walks value along schema and checks date-time and uri strings strictly."""
    if isinstance(schema, dict):
        fmt = schema.get("format")
        if isinstance(value, str) and fmt == "date-time" and not DATE_TIME.match(value):
            errors.append("%s: %r is not a date-time with a timezone" % (path, value))
        if isinstance(value, str) and fmt == "uri" and not URI.match(value):
            errors.append("%s: %r is not an absolute URI" % (path, value))
        for alt in schema.get("anyOf", []):
            formats(alt, value, path, errors)
        if isinstance(value, dict):
            for k, sub in schema.get("properties", {}).items():
                if k in value:
                    formats(sub, value[k], path + "." + k, errors)
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            for i, v in enumerate(value):
                formats(schema["items"], v, "%s[%d]" % (path, i), errors)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_path, reply_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = inline(json.load(f), os.path.dirname(os.path.abspath(schema_path)))
    with open(reply_path, encoding="utf-8") as f:
        reply = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    errors = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message)
              for e in cls(schema).iter_errors(reply)]
    formats(schema, reply, "$", errors)
    for e in errors:
        print("schema %s: %s" % (os.path.basename(schema_path), e), file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
