"""`followup new`: files the model accepts, free slugs, options checked, nothing overwritten."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from followup import workspace
from followup.cli import main
from tests.conftest import NEW_YORK
from tests.test_vcard import snapshot


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), *args], env=env)


def clean(root: Path) -> None:
    """The workspace reads without a single problem."""
    _, problems = workspace.read(root, NEW_YORK)
    assert problems == []


def test_new_contact(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    result = run(
        root, "new", "contact", "José Müller", "--company", "acme", "--email", "jose@acme.example",
        "--address", "1 Main St\\nSpringfield", "--prefers", "card", "--tag", "python,berlin",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "created data/contacts/jose-muller.yaml\n"
    assert (root / "data/contacts/jose-muller.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/contact.schema.json\n"
        "name: José Müller\n"
        "company: acme\n"
        "email: jose@acme.example\n"
        'address: "1 Main St\\nSpringfield"\n'
        "prefers: card\n"
        "tags: [python, berlin]\n"
    )
    clean(root)
    records, _ = workspace.read(root, NEW_YORK)
    assert records.contacts["jose-muller"].address == "1 Main St\nSpringfield"


def test_values_yaml_would_misread_are_quoted(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    odd = ["true", "no", "12:30", "- x", "Ann #1", "a: b", "@ann", " padded ", "[x]", "5550100"]
    for index, value in enumerate(odd):
        result = run(root, "new", "contact", f"Person {index}", "--title", value, "--phone", value)
        assert result.exit_code == 0, result.output
    records, problems = workspace.read(root, NEW_YORK)
    assert problems == []
    assert [records.contacts[f"person-{i}"].title for i in range(len(odd))] == odd


def test_new_company_application_and_interview(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    assert run(root, "new", "company", "Globex", "--size", "large").exit_code == 0
    lead = run(root, "new", "application", "globex", "Data Engineer")
    assert lead.output == "created data/applications/globex-data-engineer.yaml\n"
    applied = run(
        root, "new", "application", "acme", "Backend Engineer", "--applied", "2026-11-02",
        "--contact", "dana-reyes", "--referred-by", "raj-patel", "--slug", "acme-platform",
    )  # fmt: skip
    assert applied.exit_code == 0, applied.output
    interview = run(
        root, "new", "interview", "acme-platform", "--at", "2026-11-25 14:00",
        "--with", "dana-reyes,raj-patel", "--kind", "onsite", "--duration", "3h",
    )  # fmt: skip
    assert interview.output == "created data/interviews/acme-platform-onsite.md\n"
    clean(root)
    records, _ = workspace.read(root, NEW_YORK)
    assert records.applications["globex-data-engineer"].status == "lead"
    app = records.applications["acme-platform"]
    assert (app.status, app.referred_by) == ("applied", ("raj-patel",))
    onsite = records.interviews["acme-platform-onsite"]
    assert onsite.interviewers == ("dana-reyes", "raj-patel")
    # A section for each interviewer, headed with their name, for their own note.
    assert onsite.notes == "## Dana Reyes\n\n## Raj Patel\n"
    text = (root / "data/interviews/acme-platform-onsite.md").read_text(encoding="utf-8")
    assert text.startswith("---\n# yaml-language-server: $schema=../../schemas/interview.schema")


def test_a_taken_slug_gets_a_number_and_nothing_is_overwritten(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace()
    first = run(root, "new", "interview", "acme-backend", "--at", "2026-11-20 10:00")
    second = run(root, "new", "interview", "acme-backend", "--at", "2026-11-27 10:00")
    assert first.output == "created data/interviews/acme-backend-interview.md\n"
    assert second.output == "created data/interviews/acme-backend-interview-2.md\n"
    before = snapshot(root)
    taken = run(root, "new", "company", "Initech", "--slug", "acme")
    assert taken.exit_code == 64
    assert "--slug: data/companies/acme is there already; followup never overwrites" in (
        taken.output
    )
    assert snapshot(root) == before


def test_someone_already_there_is_not_added_again(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    before = snapshot(root)
    by_name = run(root, "new", "contact", "dana  REYES")
    assert by_name.exit_code == 64
    assert "Error: dana  REYES is already there: data/contacts/dana-reyes.yaml (same name)" in (
        by_name.output
    )
    by_email = run(root, "new", "contact", "D. Reyes", "--email", "DANA@acme.example")
    assert "data/contacts/dana-reyes.yaml (same email)" in by_email.output
    company = run(root, "new", "company", "ACME Inc.")
    assert "ACME Inc. is already there: data/companies/acme.yaml" in company.output
    assert snapshot(root) == before
    # Two people may share a name: --slug says that this is meant.
    assert run(root, "new", "contact", "Dana Reyes", "--slug", "dana-reyes-sf").exit_code == 0


def test_options_are_checked_by_the_model_and_named_in_its_messages(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace()
    before = snapshot(root)
    result = run(
        root, "new", "interview", "acme-backnd", "--at", "tomorrow 2pm", "--with", "dana-reyse",
        "--duration", "1 hour",
    )  # fmt: skip
    assert result.exit_code == 64
    assert result.output.endswith(
        "Error: APPLICATION: no application 'acme-backnd' (did you mean 'acme-backend'?)\n"
        "--at: 'tomorrow 2pm' is not a date and time: write YYYY-MM-DD HH:MM, optionally with "
        "seconds and an offset like +01:00 or Z\n"
        "--duration: '1 hour' is not a duration: write <n>m, <n>h, <n>d or <n>w, like 24h\n"
        "--with: no contact 'dana-reyse' (did you mean 'dana-reyes'?)\n"
    )
    app = run(root, "new", "application", "acme", "Dev", "--link", "acme.example/jobs/1")
    assert "--link: 'acme.example/jobs/1' is not a web address" in app.output
    bad_email = run(root, "new", "contact", "Ann Lee", "--email", "ann@", "--company", "acem")
    assert "--company: no company 'acem' (did you mean 'acme'?)\n--email: 'ann@'" in (
        bad_email.output
    )
    kind = run(root, "new", "interview", "acme-backend", "--at", "2026-11-20", "--kind", "zoom")
    assert kind.exit_code == 64
    assert "'zoom' is not one of 'phone', 'video', 'onsite', 'panel'" in kind.output
    assert snapshot(root) == before
    assert "Traceback" not in result.output + app.output + bad_email.output


def test_a_name_without_letters_for_a_slug(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    result = run(root, "new", "contact", "王伟")
    assert result.exit_code == 64
    assert "give one with --slug" in result.output
    assert run(root, "new", "contact", "王伟", "--slug", "wang-wei").exit_code == 0
    assert workspace.read(root, NEW_YORK)[0].contacts["wang-wei"].name == "王伟"
    bad = run(root, "new", "contact", "Li Na", "--slug", "Li Na")
    assert (
        "--slug: 'Li Na' is not a slug: use lowercase letters, digits and hyphens, like 'li-na'"
        in (bad.output)
    )


@pytest.fixture
def editor(tmp_path: Path) -> Callable[[str], dict[str, str]]:
    """An $EDITOR that records the file it opened and applies a replacement to it."""

    def make(replace: str) -> dict[str, str]:
        script = tmp_path / "editor.py"
        script.write_text(
            "import pathlib, sys\n"
            "path = pathlib.Path(sys.argv[1])\n"
            f"old, new = {replace!r}.split('>')\n"
            "path.write_text(path.read_text().replace(old, new))\n"
            f"pathlib.Path({str(tmp_path / 'opened')!r}).write_text(sys.argv[1])\n"
        )
        return {"EDITOR": f"{sys.executable} {script}", "VISUAL": ""}

    return make


def test_edit_opens_the_new_file(
    make_workspace: Callable[..., Path], editor: Callable[[str], dict[str, str]], tmp_path: Path
) -> None:
    root = make_workspace()
    result = run(root, "new", "company", "Globex", "--edit", env=editor("Globex>Globex Corp"))
    assert result.exit_code == 0, result.output
    opened = Path((tmp_path / "opened").read_text())
    assert opened == root / "data/companies/globex.yaml"
    assert workspace.read(root, NEW_YORK)[0].companies["globex"].name == "Globex Corp"


def test_edit_reports_what_the_user_broke(
    make_workspace: Callable[..., Path], editor: Callable[[str], dict[str, str]]
) -> None:
    root = make_workspace()
    result = run(root, "new", "company", "Globex", "--edit", env=editor("name:>nmae:"))
    assert result.exit_code == 2
    assert "data/companies/globex.yaml:2:1: unknown key 'nmae' (did you mean 'name'?)" in (
        result.stderr
    )
    assert "data/companies/globex.yaml is kept as you saved it" in result.stderr
    assert (root / "data/companies/globex.yaml").is_file()


def test_new_needs_a_workspace(tmp_path: Path) -> None:
    result = run(tmp_path, "new", "company", "Globex")
    assert result.exit_code == 66
    assert os.listdir(tmp_path) == []


def test_hidden_line_breaks_are_written_so_they_read_back(tmp_path: Path) -> None:
    from followup import load, yamltext

    for text in ("Line\u2028Sep", "Para\u2029Sep", "Next\x85Line", "a: b", " padded", "true"):
        doc, problems = load.parse_yaml("x", f"v: {yamltext.scalar(text)}\n")
        assert problems == [] and doc.data == {"v": text}, text
        doc, problems = load.parse_yaml("x", f"v: [{yamltext.scalar(text, flow=True)}]\n")
        assert problems == [] and doc.data == {"v": [text]}, text
