"""IAM Identity Center's SAML assertion consumer service, on the sign-in hosts
(``<region>.signin.aws.amazon.com``, ``<region>.signin.amazonaws-us-gov.com``).

POST ``/platform/saml/acs/<id>`` with ``SAMLResponse`` (SAML 2.0 Bindings 3.5 HTTP-POST). The
assertion must be signed by a certificate of the enabled external IdP and its contents are
read only from the signed element (XML signature wrapping); then the checks of SAML 2.0 Core
2.4-2.5 and Profiles 4.1.4.3: Issuer = IdP entity ID, Audience = the SP entity ID,
Recipient = this ACS URL, time bounds, and a NameID that names an identity-store user.
Success answers 302 to the access portal, as the real service sends the browser on.
"""

import base64
import datetime
import html
import textwrap

from lxml import etree
from signxml import XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature
from werkzeug.wrappers import Request, Response

from twin.aws.sp_config import acs_urls, sp_configuration
from twin.aws.state import AwsState, Directory, identity_store

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
NS = {"saml": SAML}
CLOCK_SKEW = datetime.timedelta(minutes=5)


class SignInRefused(Exception):
    pass


def _pem(body: str) -> str:
    return (
        "-----BEGIN CERTIFICATE-----\n" + "\n".join(textwrap.wrap(body, 64)) + "\n-----END CERTIFICATE-----\n"
    )


def _time(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _verified_assertion(xml: bytes, certificates: list[str]) -> etree._Element:
    for body in certificates:
        try:
            signed = XMLVerifier().verify(xml, x509_cert=_pem(body)).signed_xml
        except (InvalidSignature, InvalidInput):
            continue
        if signed.tag == f"{{{SAML}}}Assertion":
            return signed
        found = signed.find(".//saml:Assertion", NS)
        if found is not None:
            return found
    raise SignInRefused("the SAML assertion is not signed by a certificate of the enabled identity provider")


def _check(assertion: etree._Element, directory: Directory, entity_id: str, acs_url: str) -> str:
    now = datetime.datetime.now(datetime.UTC)
    issuer = assertion.findtext("saml:Issuer", namespaces=NS)
    if issuer != entity_id:
        raise SignInRefused(f"the assertion's issuer {issuer!r} is not the identity provider {entity_id!r}")
    conditions = assertion.find("saml:Conditions", NS)
    if conditions is not None:
        before, after = _time(conditions.get("NotBefore")), _time(conditions.get("NotOnOrAfter"))
        if (before and now + CLOCK_SKEW < before) or (after and now - CLOCK_SKEW >= after):
            raise SignInRefused("the assertion is outside its validity period")
    sp_entity = sp_configuration(directory)["EntityId"]
    audiences = [a.text for a in assertion.findall(".//saml:AudienceRestriction/saml:Audience", NS)]
    if sp_entity not in audiences:
        raise SignInRefused(f"the assertion's audience {audiences} does not include {sp_entity}")
    confirmation = assertion.find(".//saml:SubjectConfirmation/saml:SubjectConfirmationData", NS)
    if confirmation is None or confirmation.get("Recipient") != acs_url:
        raise SignInRefused(f"the assertion's recipient is not {acs_url}")
    expiry = _time(confirmation.get("NotOnOrAfter"))
    if expiry and now - CLOCK_SKEW >= expiry:
        raise SignInRefused("the assertion's subject confirmation has expired")
    name_id = (assertion.findtext(".//saml:Subject/saml:NameID", namespaces=NS) or "").strip()
    users = [u for u in identity_store(directory).users.values() if u.UserName.lower() == name_id.lower()]
    if not users:
        raise SignInRefused(f"no IAM Identity Center user has the user name {name_id!r}")
    return users[0].UserName


class SamlAcsApp:
    def __init__(self, state: AwsState) -> None:
        self.state = state
        self.sign_ins: list[dict] = []

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self._handle(request)
        return response(environ, start_response)

    def _handle(self, request: Request) -> Response:
        # Every ACS URL of the SP metadata accepts the response; the Recipient must be the one used.
        acs_url = f"https://{request.host.split(':')[0]}{request.path}"
        directory = next((d for d in self.state.directories.values() if acs_url in acs_urls(d)), None)
        if directory is None or request.method != "POST":
            return Response("Not found\n", status=404, mimetype="text/plain")
        try:
            with self.state.lock:
                enabled = [i for i in directory.external_idps.values() if i.status == "ENABLED"]
                if not enabled:
                    raise SignInRefused("IAM Identity Center does not use an external identity provider")
                idp = enabled[0]
                try:
                    xml = base64.b64decode(request.form.get("SAMLResponse", ""), validate=True)
                except ValueError:
                    raise SignInRefused("SAMLResponse is not base64") from None
                assertion = _verified_assertion(xml, [c["Body"] for c in idp.certificates])
                user_name = _check(assertion, directory, idp.entity_id, acs_url)
        except SignInRefused as e:
            return Response(f"Sign-in refused: {html.escape(str(e))}\n", status=403, mimetype="text/plain")
        self.sign_ins.append(
            {
                "account": directory.account.nickname,
                "user_name": user_name,
                "time": datetime.datetime.now(datetime.UTC).isoformat(),
            }
        )
        location = sp_configuration(directory)["SignInUrl"]
        return Response("", status=302, headers={"Location": location})
