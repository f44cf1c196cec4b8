"""Address-book exports shaped like the real ones, for the import tests.

Written by hand after each vendor's format: Google Contacts' "Export > vCard (for iOS
Contacts)", Apple Contacts' "Export vCard...", a vCard 4.0 (as Nextcloud and Thunderbird
write it), an old vCard 2.1 with quoted-printable, and LinkedIn's Connections.csv.
"""

from __future__ import annotations


def crlf(*lines: str) -> bytes:
    """vCard files end their lines with CRLF."""
    return "".join(f"{line}\r\n" for line in lines).encode("utf-8")


GOOGLE = crlf(
    "BEGIN:VCARD",
    "VERSION:3.0",
    "FN:Dana Reyes",
    "N:Reyes;Dana;;;",
    "EMAIL;TYPE=INTERNET;TYPE=HOME:dana.reyes@mail.example",
    "EMAIL;TYPE=INTERNET;TYPE=WORK;TYPE=pref:dana@acme.example",
    "TEL;TYPE=CELL:+1 555-010-1010",
    "TEL;TYPE=WORK:(555) 010-2020",
    "ADR;TYPE=WORK:;Suite 200;1 Main St;Springfield;IL;62701;US",
    "ORG:Acme\\, Inc.",
    "TITLE:Engineering Manager",
    "item1.EMAIL;TYPE=INTERNET:dreyes@oss.example",
    "item1.X-ABLabel:Open source",
    "item2.URL:https\\://www.linkedin.com/in/danareyes",
    "item2.X-ABLabel:LinkedIn",
    "NOTE:Met at the October meetup\\, by the coffee.\\nWants an intro to Lee\\; ask",
    "  her about Rust.",
    "CATEGORIES:myContacts,Work",
    "END:VCARD",
    "BEGIN:VCARD",
    "VERSION:3.0",
    "FN:Lee Park",
    "N:Park;Lee;;;",
    "EMAIL;TYPE=INTERNET:lee@acme.example",
    "ORG:Acme",
    "TITLE:Recruiter",
    "CATEGORIES:myContacts",
    "END:VCARD",
    "BEGIN:VCARD",
    "VERSION:3.0",
    "EMAIL;TYPE=INTERNET:noreply@newsletter.example",
    "CATEGORIES:myContacts",
    "END:VCARD",
)

#: Apple folds long lines with a space, lower-cases its parameters, labels with
#: _$!<...>!$_, and carries a picture across many folded lines.
APPLE = crlf(
    "BEGIN:VCARD",
    "VERSION:3.0",
    "PRODID:-//Apple Inc.//macOS 14.5//EN",
    "N:Müller;José;;;",
    "FN:José Müller",
    "ORG:Lumen Media;Platform;",
    "TITLE:Staff Engineer",
    "EMAIL;type=INTERNET;type=WORK;type=pref:jose.muller@lumen.example",
    "TEL;type=CELL;type=VOICE;type=pref:+49 30 1234567",
    "item1.ADR;type=WORK;type=pref:;;Friedrichstraße 10;Berlin;;10117;Germany",
    "item1.X-ABADR:de",
    "item2.URL;type=pref:https://jose.example",
    "item2.X-ABLabel:_$!<HomePage>!$_",
    "NOTE:Spoke about the Lumen platform team at PyCon DE. He mentioned they are hi",
    " ring in Berlin and remote\\, and that the interviews are pairing sessions.",
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDA0U",
    " DQwLCwwZEhMPFB0aHx4dGhwcICQuJyAiLCMcHCg3KSwwMTQ0NB8nOT04MjwuMzQy/9sAQwEJCQkMCw",
    " wYDQ0YMiEcITIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy",
    " MjL/wAARCAABAAEDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAA==",
    "X-ABUID:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson",
    "END:VCARD",
    "BEGIN:VCARD",
    "VERSION:3.0",
    "PRODID:-//Apple Inc.//macOS 14.5//EN",
    "N:;;;;",
    "FN:Lumen Media",
    "ORG:Lumen Media;",
    "X-ABShowAs:COMPANY",
    "END:VCARD",
)

#: vCard 4.0: PREF=1, quoted TYPE lists, tel: URIs, a LABEL parameter with the address
#: as its owner writes it, and a UTF-8 name folded inside a character.
V4 = (
    crlf(
        "BEGIN:VCARD",
        "VERSION:4.0",
        "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
        "KIND:individual",
        "FN:Kenji Watanabe",
        "N:Watanabe;Kenji;;;",
        "EMAIL;TYPE=home;PREF=2:kenji@home.example",
        "EMAIL;TYPE=work;PREF=1:kenji@orchard.example",
        'TEL;VALUE=uri;TYPE="voice,cell";PREF=1:tel:+81-3-1234-5678',
        'ADR;TYPE=work;LABEL="2-1 Marunouchi\\nChiyoda-ku, Tokyo 100-0005\\nJapan":;;2-1 Mar',
        " unouchi;Chiyoda-ku;Tokyo;100-0005;Japan",
        "ORG:Orchard Robotics",
        "TITLE:Robotics Lead",
        "NOTE:Prefers calls in the morning\\, Tokyo time.",
        "END:VCARD",
    )
    + "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë Ødegård\r\nN:Ødegård;Zoë;;;\r\n".encode()
    + "NOTE:Ødegå".encode()[:-1]  # the å folded between its two bytes
    + b"\r\n "
    + "ård is the name of her farm.\r\nEND:VCARD\r\n".encode()[1:]
)

#: vCard 2.1, as old phones and Outlook write it: quoted-printable with soft line breaks.
V21 = crlf(
    "BEGIN:VCARD",
    "VERSION:2.1",
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Fern=C3=A1ndez;Luc=C3=ADa;;;",
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Luc=C3=ADa Fern=C3=A1ndez",
    "TEL;CELL;PREF:+34600111222",
    "EMAIL;INTERNET:lucia@forge.example",
    "NOTE;ENCODING=QUOTED-PRINTABLE:First line=0D=0ASecond line, which is long enou=",
    "gh to be broken.",
    "END:VCARD",
)

LINKEDIN = """\
Notes:
"When exporting your connection data, you may notice that some of the email addresses are \
missing. You will only see email addresses for connections who have allowed their connections \
to see or download their email address using this setting \
https://www.linkedin.com/psettings/privacy/email. You can learn more here \
https://www.linkedin.com/help/linkedin/answer/261"

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Dana,Reyes,https://www.linkedin.com/in/danareyes,dana@acme.example,Acme,Engineering Manager,12 Nov 2024
Priya,Nair,https://www.linkedin.com/in/priyanair,,Brightline Health,"Senior Engineer, Scheduling",03 Jan 2025
José,Müller,https://www.linkedin.com/in/josemuller,,Lumen Media,Staff Engineer,28 Feb 2023
,,https://www.linkedin.com/in/private-member,,,,01 Mar 2024
Aisha,Rahman,https://www.linkedin.com/in/aisharahman,aisha(at)harbor,Harbor Logistics,VP of Engineering,5 May 2022
"""  # noqa: E501

#: An older export: no notes, no Email Address column, columns in another order.
LINKEDIN_OLD = """\
First Name,Last Name,Company,Position,Connected On
Marcus,Webb,Brightline Health,Director of Engineering,17 Jun 2021
"""
