"""Open Badges 3.0 at scale: the signed status list, a certificate's signed credential, its
readable copy and its baked badge image, and the issuer's published keys, with 100,000
certificates, against the public verification page and the Open Badges 2.0 assertion over the
same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peerpath_bench_cred \\
        .venv/bin/python bench/credentials.py [--certificates 100000] [--repeat 7] \\
        [--algorithm ES256] [--keep]

On PostgreSQL when `DATABASE_URL` names a `peerpath_bench…` database (made afresh and dropped at
the end unless `--keep`; `bench/scratch.py`), else a throw-away SQLite database. A signing key
(`--algorithm`) is made with `keys.create_key()` in a temporary `PEERPATH_ISSUER_KEYS_DIR`.

Seeds in two steps, a tenth of the certificates and then the rest, written with `bulk_create`
(one holder each; no programme, PDF or audit entries, which no page measured here reads): 2%
revoked, 0.5% suspended, 3% superseded by a renewal (cycle 2, which counts among the
certificates), a tenth expired and a tenth in a grace period, the rest valid. Each certificate's
`status_list_index` is drawn as `status_list.draw_index` draws it when certificates are issued
one by one: at random, distinct, below `list_count(issued) * LIST_SIZE` for the certificates
issued before it.

Then times each URL through Django's test Client, anonymously (median of --repeat runs after a
warm-up), and counts its queries at both steps: the same count means the URL does not grow a
query per certificate. The per-certificate URLs are asked of one valid certificate from the
first step. Prints Markdown.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import admin_client  # noqa: E402 - needs ROOT on the path

BATCH = 2000
REVOKED_SHARE = 0.02
SUSPENDED_SHARE = 0.005
SUPERSEDED_SHARE = 0.03
EXPIRED_SHARE = 0.1
LAPSED_SHARE = 0.1
#: The rows' order in the table; the first two are the baselines.
BASELINES = ("Verification page (baseline)", "OB 2.0 assertion.json (baseline)")


class IndexDraw:
    """Status list indexes as `status_list.draw_index` draws them, for certificates issued one
    after the other: distinct, at random below `list_count(issued) * LIST_SIZE`."""

    def __init__(self, rng, list_count, list_size):
        self.rng = rng
        self.list_count = list_count
        self.list_size = list_size
        self.taken = set()

    def __call__(self):
        limit = self.list_count(len(self.taken)) * self.list_size
        while True:
            index = self.rng.randrange(limit)
            if index not in self.taken:
                self.taken.add(index)
                return index


def seed_certificates(count, *, step, rng, draw):
    """`count` certificates, each with a holder of its own except renewals (their holder's
    second cycle); returns a valid certificate of the step."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from peerpath.certificates.codes import generate_code
    from peerpath.certificates.models import Certificate
    from peerpath.certificates.snapshot import recipient_identity

    user_model = get_user_model()
    now = timezone.now()
    today = timezone.localdate()
    renewals = int(count * SUPERSEDED_SHARE)
    originals = count - renewals
    offset = Certificate.objects.count()

    def certificate(n, holder, **fields):
        salt = f"{rng.getrandbits(64):016x}"
        number = offset + n + 1
        return Certificate(
            holder=holder,
            holder_name=f"{holder.first_name} {holder.last_name}",
            credential_name="Peer Support Group Facilitator",
            credential_code="BNCH",
            programme_title="Benchmark Facilitator Programme",
            hours=6,
            issuer_name="PeerPath",
            design={"accent_colour": "#1d5c63"},
            recipient_salt=salt,
            recipient_hash=recipient_identity(holder.email, salt),
            number=f"BNCH-{today.year}-{number:07d}",
            verification_code=generate_code(),
            status_list_index=draw(),
            **fields,
        )

    with transaction.atomic():
        holders = user_model.objects.bulk_create(
            [
                user_model(
                    username=f"cred-{step}-{n}@example.org",
                    email=f"cred-{step}-{n}@example.org",
                    first_name=rng.choice(["Amara", "Ben", "Chloe", "Dev", "Efua"]),
                    last_name=rng.choice(["Okafor", "Smith", "Nguyen", "Patel", "Evans"]),
                    password="!",  # unusable: seeded holders never log in
                )
                for n in range(originals)
            ],
            batch_size=BATCH,
        )
        kinds = (
            ["revoked"] * int(originals * REVOKED_SHARE)
            + ["suspended"] * int(originals * SUSPENDED_SHARE)
            + ["superseded"] * renewals
            + ["expired"] * int(originals * EXPIRED_SHARE)
            + ["lapsed"] * int(originals * LAPSED_SHARE)
        )
        kinds += ["valid"] * (originals - len(kinds))
        rng.shuffle(kinds)
        rows = []
        for n, (holder, kind) in enumerate(zip(holders, kinds, strict=True)):
            issued = now - datetime.timedelta(days=rng.randint(1, 700))
            expires = today + datetime.timedelta(days=rng.randint(1, 730))
            fields = {"issued_at": issued, "expires_on": expires}
            if kind == "expired":
                fields["issued_at"] = now - datetime.timedelta(days=rng.randint(800, 1000))
                fields["expires_on"] = today - datetime.timedelta(days=rng.randint(91, 200))
                fields["grace_ends_on"] = fields["expires_on"] + datetime.timedelta(days=90)
            elif kind == "lapsed":
                fields["issued_at"] = now - datetime.timedelta(days=750)
                fields["expires_on"] = today - datetime.timedelta(days=rng.randint(1, 89))
                fields["grace_ends_on"] = fields["expires_on"] + datetime.timedelta(days=90)
            elif kind == "revoked":
                fields.update(revoked_at=now, revocation_reason="Seeded for benchmarks.")
            elif kind == "suspended":
                fields.update(suspended_at=now, suspension_reason="Seeded for benchmarks.")
            elif kind == "superseded":
                fields["superseded_at"] = issued + datetime.timedelta(days=1)
            rows.append(certificate(n, holder, **fields))
        made = Certificate.objects.bulk_create(rows, batch_size=BATCH)
        replaced = [c for c in made if c.superseded_at is not None]
        Certificate.objects.bulk_create(
            [
                certificate(
                    originals + n,
                    old.holder,
                    cycle=2,
                    supersedes=old,
                    issued_at=old.superseded_at,
                    expires_on=old.expires_on + datetime.timedelta(days=730),
                )
                for n, old in enumerate(replaced)
            ],
            batch_size=BATCH,
        )
    return next(c for c, kind in zip(made, kinds, strict=True) if kind == "valid")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--algorithm", default="ES256", choices=["ES256", "Ed25519"])
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()

    # Before Django reads its settings: keys of this run only, in a folder of its own.
    os.environ["PEERPATH_ISSUER_KEYS_DIR"] = tempfile.mkdtemp(prefix="peerpath-bench-keys-")
    os.environ.pop("PEERPATH_ISSUER_KEYS", None)
    admin_client(keep=args.keep)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from peerpath.certificates.keys import create_key
    from peerpath.certificates.models import Certificate
    from peerpath.certificates.status_list import (
        LIST_SIZE,
        PURPOSES,
        list_count,
        locate,
        positions,
    )

    key = create_key(args.algorithm)
    rng = random.Random(0)
    draw = IndexDraw(rng, list_count, LIST_SIZE)
    seconds = {}

    def seed_step(count, step):
        started = time.perf_counter()
        chosen = seed_certificates(count, step=step, rng=rng, draw=draw)
        seconds["certificates"] = seconds.get("certificates", 0) + time.perf_counter() - started
        if connection.vendor == "postgresql":
            # As autovacuum would after a bulk load, so the planner knows the tables' sizes.
            started = time.perf_counter()
            connection.cursor().execute("ANALYZE")
            seconds["analyze"] = seconds.get("analyze", 0) + time.perf_counter() - started
        return chosen

    small = max(1, args.certificates // 10)
    certificate = seed_step(small, step=1)
    code = certificate.display_code
    number, _position = locate(certificate.status_list_index)

    def urls():
        def cert(name):
            return reverse(f"certificates:{name}", args=[code])

        def status(name, purpose):
            return reverse(f"certificates:{name}", args=[purpose, number])

        return {
            BASELINES[0]: cert("verify"),
            BASELINES[1]: cert("assertion"),
            "Status list, revocation (signed)": status("status_list", "revocation"),
            "Status list, revocation (.json)": status("status_list_json", "revocation"),
            "Status list, suspension (signed)": status("status_list", "suspension"),
            "credential.jwt": cert("credential_jwt"),
            "credential.json": cert("credential_json"),
            "badge.png": cert("badge_png"),
            "Issuer jwks.json": reverse("certificates:jwks"),
        }

    client = Client()
    failures = {}
    sizes = {}

    def get(name, url):
        try:
            response = client.get(url)
        except Exception as error:  # noqa: BLE001 - an endpoint still being written: report it
            failures[name] = f"error: {type(error).__name__}: {error}"
            return None
        if response.status_code != 200:
            failures[name] = f"HTTP {response.status_code}"
            return None
        sizes[name] = len(response.content)  # read it all, as a verifier would
        return response

    def queries(name, url):
        get(name, url)  # once first, so that one-off caches (sites, settings) do not count
        with CaptureQueriesContext(connection) as captured:
            if get(name, url) is None:
                return None
        return len(captured)

    counts_small = {name: queries(name, url) for name, url in urls().items()}
    seed_step(args.certificates - small, step=2)
    counts_full = {name: queries(name, url) for name, url in urls().items()}

    timings = {}
    for name, url in urls().items():
        if get(name, url) is None:  # warm-up; a refused URL is reported as such
            continue
        runs = []
        for _run in range(args.repeat):
            started = time.perf_counter()
            get(name, url)
            runs.append((time.perf_counter() - started) * 1000)
        timings[name] = statistics.median(runs)

    first = (number - 1) * LIST_SIZE
    in_list = Certificate.objects.filter(
        status_list_index__gte=first, status_list_index__lt=first + LIST_SIZE
    ).count()
    total = Certificate.objects.count()
    lists = list_count(total)
    revoked, suspended = (len(positions(purpose, number)) for purpose in PURPOSES)
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"## Open Badges 3.0: {total:,} certificates ({database})\n")
    print(
        f"Status list {number} holds {in_list:,} of them, {revoked:,} set in its revocation "
        f"list and {suspended:,} in its suspension list ({lists} list{'s' if lists > 1 else ''} "
        f"of {LIST_SIZE:,} entries); the certificate asked for is valid. Signing key "
        f"{key.alg}. Median of {args.repeat} runs after a warm-up. Seeding took "
        + ", ".join(f"{label} {value:.0f} s" for label, value in seconds.items())
        + ".\n"
    )
    print(
        f"| URL | median (ms) | ÷ verification page | ÷ assertion.json | bytes | "
        f"queries at {small:,} | queries at {total:,} |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    verify_ms, assertion_ms = (timings.get(name) for name in BASELINES)
    for name in urls():
        ms = timings.get(name)
        if ms is None:
            print(f"| {name} | {failures.get(name, '')} | | | | | |")
            continue
        ratios = [f"{ms / base:.2f}×" if base else "" for base in (verify_ms, assertion_ms)]
        print(
            f"| {name} | {ms:.1f} | {ratios[0]} | {ratios[1]} | {sizes.get(name, 0):,} | "
            f"{counts_small[name]} | {counts_full[name]} |"
        )


if __name__ == "__main__":
    main()
