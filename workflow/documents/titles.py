"""Who issues and who signs (thẩm quyền, chức vụ người ký), as ND 30/2020 prints them.

A decision names its authority on a line of its own ("BỘ TRƯỞNG BỘ THÔNG TIN VÀ TRUYỀN THÔNG");
a deputy signs "KT." (ký thay, ND 30/2020 Điều 13(1)(b)) above his own title ("KT. BỘ TRƯỞNG" /
"THỨ TRƯỞNG"). Titles follow the kind of organisation; an office names its own in its templates.
"""
from dataclasses import dataclass

from workflow.documents import nd30
from workflow.orgs.tree import OrgNode

# The head's title and the deputy's title by how an organisation's name begins.
HEADS = (
    ("bộ ", "BỘ TRƯỞNG", "THỨ TRƯỞNG"),
    ("ubnd ", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ("ủy ban nhân dân", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    ("tổng công ty", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC"),
    ("cục ", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
    ("ban ", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
    ("văn phòng", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
    ("sở ", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
)
DEPUTY_OF = {head: deputy for _p, head, deputy in HEADS} | {"THỦ TƯỚNG": "PHÓ THỦ TƯỚNG",
                                                            "THỦ TRƯỞNG": "PHÓ THỦ TRƯỞNG"}


def head_title(org: OrgNode) -> str:
    lowered = org.name.lower()
    for prefix, head, _deputy in HEADS:
        if lowered.startswith(prefix):
            return head
    return "THỦ TRƯỞNG"


def signer_block(title: str, name: str, *, kt: str | None = None) -> dict:
    return {"kt": kt or "", "title": title, "name": name}


@dataclass(frozen=True)
class Authority:
    issuer: str          # the issuing body in the heading
    authority: str       # the authority line of a decision
    issuer_phrase: str   # "của Thủ tướng Chính phủ" as an annex names it
    signer_title: str
    kt: str | None

    def signer_name(self, signer: str | None) -> str:
        """The signer's name without the title the clerk may have typed before it."""
        name = (signer or "").strip()
        for title in sorted({self.signer_title, *DEPUTY_OF, *DEPUTY_OF.values()}, key=len, reverse=True):
            if name.upper().startswith(title + " "):
                return name[len(title) + 1:].strip()
        return name


def authority_of(org: OrgNode, on_behalf_of: str | None) -> Authority:
    """Who a decision of `org` speaks for; the central level decides in the Prime Minister's name
    (Luật TĐKT 2022 Điều 78)."""
    if org.level == "central":
        issuer, head, authority, phrase = "THỦ TƯỚNG CHÍNH PHỦ", "THỦ TƯỚNG", "THỦ TƯỚNG CHÍNH PHỦ", \
            "Thủ tướng Chính phủ"
    else:
        head = head_title(org)
        issuer = org.name
        authority = f"{head} {nd30.upper(org.name)}"
        phrase = f"{head.capitalize()} {org.name}"
    kt = nd30.upper(on_behalf_of.strip()) if on_behalf_of and on_behalf_of.strip() else None
    if kt:
        kt_head = kt[3:].strip() if kt.startswith("KT.") else head
        return Authority(issuer, authority, phrase, DEPUTY_OF.get(kt_head, "PHÓ " + kt_head), kt)
    return Authority(issuer, authority, phrase, head, None)
