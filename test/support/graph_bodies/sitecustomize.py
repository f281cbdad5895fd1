"""Test hook, imported at interpreter start when this directory is on PYTHONPATH: records every
Microsoft Graph request body the automation sends (method, path, body with each string value
blanked, so no password reaches the file) as one JSON line in $ENTRAIDC_TEST_GRAPH_BODIES."""

import json
import os


def _blank(value):
    if isinstance(value, dict):
        return {k: _blank(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank(v) for v in value]
    return "" if isinstance(value, str) else value


def _install(target: str) -> None:
    from entraidc import graph

    original = graph.GraphClient.request

    def recording(self, method, path, *, json=None, **kwargs):  # noqa: A002 - the wrapped signature
        if json is not None:
            with open(target, "a") as out:
                out.write(_dumps({"method": method, "path": path.split("?")[0], "body": _blank(json)}) + "\n")
        return original(self, method, path, json=json, **kwargs)

    graph.GraphClient.request = recording


def _dumps(record: dict) -> str:
    return json.dumps(record)


if os.environ.get("ENTRAIDC_TEST_GRAPH_BODIES"):
    _install(os.environ["ENTRAIDC_TEST_GRAPH_BODIES"])
