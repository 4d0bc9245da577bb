"""Open Badges 3.0: each certificate as an `OpenBadgeCredential`, signed as a VC-JWT.

https://www.imsglobal.org/spec/ob/v3p0/ (1EdTech), on the W3C Verifiable Credentials Data Model 2.0.

The credential is built from the certificate's snapshot each time it is asked for, and signed with
the site's current key (`keys.py`): what it says never changes, and a copy signed under an older
key keeps verifying as long as that key is published. The JWT payload is the credential itself,
with the registered claims OB 3.0 asks for beside it (`iss`, `jti`, `nbf`, `exp`); the header names
the key by a URL into the published key set. The holder is a salted hash of their e-mail address,
never the address; their name is not in it either (the verification page shows it, as the holder
chose).

Status is live: `credentialStatus` points at this site's Bitstring Status Lists, one entry for
revocation and one for suspension (`status_list.py`).
"""

import datetime
import json

from django.conf import settings
from django.utils import timezone
from joserfc import jws

from . import badges
from .keys import signing_key
from .links import badge_urls, credential_urls, issuer_urls, status_list_url
from .status_list import PURPOSES, encoded_list, locate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
#: OB 3.0's context, in the version this site writes; checks accept any 3.0.x (the prefix).
OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
OB_CONTEXT = f"{OB_CONTEXT_PREFIX}-3.0.3.json"
#: The OB 3.0 credential type, and its alias from the 3.0 drafts that verifiers still accept.
OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")
CREDENTIAL_TYPES = ["VerifiableCredential", OB_TYPES[0]]
STATUS_ENTRY_TYPE = "BitstringStatusListEntry"
STATUS_LIST_TYPE = "BitstringStatusListCredential"
STATUS_LIST_TYPES = ["VerifiableCredential", STATUS_LIST_TYPE]
#: The JOSE header's `typ` for a credential secured with JOSE (W3C VC-JOSE-COSE).
JWT_TYPE = "vc+jwt"
#: How long verifiers may keep a status list before fetching it again (also its HTTP max-age).
STATUS_LIST_TTL_SECONDS = 300
MEDIA_TYPE_JWT = "application/vc+jwt"


def _timestamp(value):
    """An XML Schema dateTimeStamp in UTC, to the second: 2026-12-04T16:20:00Z."""
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _start_of(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


def issuer_profile(name=None, url=None):
    """The issuer as an OB 3.0 Profile: the site's organisation (or the name a certificate was
    issued under), its website, and where its keys are published (`jwks_uri`: an issuer-dependent
    term under the VC 2.0 context's vocabulary)."""
    email, about = badges.issuer_contact()
    urls = issuer_urls()
    profile = {
        "id": urls["profile"],
        "type": ["Profile"],
        "name": name or issuer_name(),
        "url": url or settings.WAGTAILADMIN_BASE_URL,
        "email": email,
        "jwks_uri": urls["jwks"],
    }
    if about:
        profile["description"] = about
    return profile


def issuer_name():
    """The name the site issues under when no certificate says otherwise."""
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "PeerPath"


def status_entries(certificate):
    """The `credentialStatus` entries: one per purpose, the same index in each list."""
    if certificate.status_list_index is None:
        return []
    number, position = locate(certificate.status_list_index)
    entries = []
    for purpose in PURPOSES:
        url = status_list_url(purpose, number)
        entries.append(
            {
                "id": f"{url}#{position}",
                "type": STATUS_ENTRY_TYPE,
                "statusPurpose": purpose,
                "statusListIndex": str(position),
                "statusListCredential": url,
            }
        )
    return entries


def _identifier(certificate):
    if not certificate.recipient_hash:
        return []  # erased: the holder is no longer identifiable
    return [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": certificate.recipient_hash,
            "salt": certificate.recipient_salt,
        }
    ]


def credential(certificate):
    """The certificate's OpenBadgeCredential (unsigned): what `credential.json` shows and the
    signed JWT carries."""
    urls = credential_urls(certificate)
    subject = {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": badge_urls(certificate)["badge_class"],
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": certificate.credential_name,
            "description": badges.achievement_description(certificate),
            "criteria": {"narrative": badges.criteria_narrative(certificate)},
            "image": {
                "id": urls["badge_png"],
                "type": "Image",
                "caption": certificate.credential_name,
            },
            "humanCode": certificate.credential_code,
        },
    }
    identifier = _identifier(certificate)
    if identifier:
        subject["identifier"] = identifier
    data = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": urls["json"],
        "type": list(CREDENTIAL_TYPES),
        "name": certificate.credential_name,
        "description": f"Certificate {certificate.number}",
        "issuer": issuer_profile(certificate.issuer_name, certificate.issuer_url or None),
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": subject,
    }
    if certificate.expires_on:
        # The certificate is valid up to the start of its expiry date, as in Open Badges 2.0.
        data["validUntil"] = _timestamp(_start_of(certificate.expires_on))
    status = status_entries(certificate)
    if status:
        data["credentialStatus"] = status
    return data


def _claims(data):
    """The registered JWT claims OB 3.0 asks for, taken from the credential itself."""
    claims = {
        "iss": data["issuer"]["id"] if isinstance(data["issuer"], dict) else data["issuer"],
        "jti": data["id"],
        "nbf": int(datetime.datetime.fromisoformat(data["validFrom"]).timestamp()),
    }
    if "validUntil" in data:
        claims["exp"] = int(datetime.datetime.fromisoformat(data["validUntil"]).timestamp())
    return claims


def sign(data):
    """`data` (a credential) as a compact JWS signed with the current key; the header's `kid`
    is the key's URL in the published key set."""
    key = signing_key()
    header = {"alg": key.alg, "typ": JWT_TYPE, "kid": f"{issuer_urls()['jwks']}#{key.kid}"}
    payload = {**data, **_claims(data)}
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return jws.serialize_compact(header, body, key.key, algorithms=[key.alg])


def signed_credential(certificate):
    """The certificate's credential as a VC-JWT (what `credential.jwt` serves)."""
    return sign(credential(certificate))


def status_list_credential(purpose, number, now=None):
    """Status list `number` for `purpose` as a BitstringStatusListCredential, as of now."""
    now = now or timezone.now()
    url = status_list_url(purpose, number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": list(STATUS_LIST_TYPES),
        "issuer": issuer_urls()["profile"],
        "validFrom": _timestamp(now),
        "validUntil": _timestamp(now + datetime.timedelta(days=1)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list(purpose, number, timezone.localdate(now)),
            "ttl": STATUS_LIST_TTL_SECONDS * 1000,
        },
    }
