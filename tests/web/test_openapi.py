"""The OpenAPI description tells the truth about which endpoints exist."""
import re

from openapi_spec_validator import validate


def test_every_api_route_is_described_and_the_description_is_valid(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    described = {(re.sub(r"\{[^}]+\}", "{}", path), method.upper())
                 for path, ops in spec["paths"].items() for method in ops}
    served = {(re.sub(r"<[^>]+>", "{}", rule.rule[len("/api/v1"):]), method)
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served - described == set()
    assert described - served == set()
