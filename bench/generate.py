"""Write a large synthetic workspace that validates: N applications, 2N interviews
with notes, 3N contacts and N/4 companies; and, as the sample has, one lead not yet
applied to that lists a reference not yet asked, whose task is due at the moment of
each build.

    python bench/generate.py OUT [--applications N]
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

STATUSES = ["lead", "applied", "interviewing", "interviewing", "offer", "rejected", "withdrawn"]
CLOSED = {"rejected", "withdrawn"}
KINDS = ["phone", "video", "onsite", "panel"]
WORDS = [
    "pipeline", "latency", "on-call", "migration", "schema", "roadmap", "hiring", "budget",
    "testing", "caching", "queue", "rollout", "postmortem", "dashboard", "customers", "search",
]  # fmt: skip


def generate(out: Path, applications: int, seed: int = 7) -> int:
    """The number of files written."""
    rng = random.Random(seed)
    data = out / "data"
    for folder in ("contacts", "companies", "applications", "interviews"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    (data / "settings.yaml").write_text(
        "me: {name: Bench Mark, email: bench@example.org}\ntimezone: America/New_York\n"
    )
    companies = max(1, applications // 4)
    contacts = 3 * applications
    start = date(2026, 6, 1)
    written = 1
    for c in range(companies):
        (data / f"companies/company-{c}.yaml").write_text(
            f"name: Company {c}\nwebsite: https://c{c}.example\n"
            f"size: {rng.choice(['small', 'large'])}\n"
        )
        written += 1
    for p in range(contacts):
        (data / f"contacts/person-{p}.yaml").write_text(
            f"name: Person {p}\ntitle: Engineer\ncompany: company-{p % companies}\n"
            f"email: p{p}@example.org\nprefers: email\n"
        )
        written += 1
    for a in range(applications):
        applied = start + timedelta(days=rng.randrange(150))
        status = rng.choice(STATUSES)
        closed = f"closed: {applied + timedelta(days=40)}\n" if status in CLOSED else ""
        (data / f"applications/app-{a}.yaml").write_text(
            f"company: company-{a % companies}\nrole: Role {a}\n"
            f"status: {status}\napplied: {applied}\ncontact: person-{3 * a}\n{closed}"
            "log:\n"
            f"  - {{on: {applied + timedelta(days=3)} 10:00, did: call, with: person-{3 * a}}}\n"
        )
        written += 1
        for i in range(2):
            at = applied + timedelta(days=7 + 7 * i)
            people = [f"person-{3 * a + 1}", f"person-{3 * a + 2}"]
            notes = "\n\n".join(
                f"## Person {3 * a + 1 + n}\n"
                + " ".join(rng.choice(WORDS) for _ in range(40))
                + "\n\n- "
                + "\n- ".join(rng.choice(WORDS) for _ in range(3))
                for n in range(2)
            )
            (data / f"interviews/app-{a}-{i}.md").write_text(
                f"---\napplication: app-{a}\nat: {at} 14:00\nkind: {rng.choice(KINDS)}\n"
                f"interviewers: [{', '.join(people)}]\n"
                f"log:\n  - {{on: {at} 20:00, did: thank-you, with: {people[0]}, via: email}}\n"
                f"---\n{notes}\n"
            )
            written += 1
    (data / "applications/someday.yaml").write_text(
        "company: company-0\nrole: Someday Role\nstatus: lead\nreferences: [person-0]\n"
    )
    return written + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--applications", type=int, default=2000)
    args = parser.parse_args()
    count = generate(args.out, args.applications)
    print(f"wrote {count} files into {args.out}")


if __name__ == "__main__":
    main()
