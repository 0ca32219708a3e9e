"""Where each field of a certificate sits on its pre-printed blank (phôi Bằng khen, Giấy khen).

Millimetres from the top left corner of an A4 page (landscape by default); `width` is the box the
text is centred in; `size` in points. An organisation saves its own positions in its paper
settings (`certificate_layout`); fields it leaves out keep these.
"""
from workflow import validation as v
from workflow.errors import InvalidInput

DEFAULT_LAYOUT: dict = {
    "landscape": True,
    "fields": {
        "authority": {"x": 20, "y": 22, "width": 257, "size": 15, "bold": True},
        "kind": {"x": 20, "y": 40, "width": 257, "size": 40, "bold": True},
        "award": {"x": 20, "y": 62, "width": 257, "size": 13, "italic": True},
        "recipient": {"x": 20, "y": 78, "width": 257, "size": 24, "bold": True},
        "detail": {"x": 20, "y": 93, "width": 257, "size": 15},
        "reason": {"x": 30, "y": 106, "width": 237, "size": 15, "italic": True},
        "place_date": {"x": 150, "y": 132, "width": 130, "size": 14, "italic": True},
        "kt": {"x": 150, "y": 141, "width": 130, "size": 14, "bold": True},
        "signer_title": {"x": 150, "y": 148, "width": 130, "size": 14, "bold": True},
        "signer": {"x": 150, "y": 182, "width": 130, "size": 15, "bold": True},
        "decision": {"x": 20, "y": 170, "width": 120, "size": 12},
        "register": {"x": 20, "y": 177, "width": 120, "size": 12},
    },
}
NUMBERS = ("x", "y", "width", "size")


def merged(saved: dict | None, *, grid: bool = False) -> dict:
    """The default layout with an organisation's saved positions laid over it."""
    fields = {k: dict(f) for k, f in DEFAULT_LAYOUT["fields"].items()}
    for name, f in ((saved or {}).get("fields") or {}).items():
        if name in fields and isinstance(f, dict):
            fields[name].update({k: f[k] for k in (*NUMBERS, "bold", "italic") if k in f})
    landscape = (saved or {}).get("landscape", DEFAULT_LAYOUT["landscape"])
    return {"landscape": bool(landscape), "fields": fields, "grid": grid}


def parse(raw: object) -> dict:
    """A layout as an office submits it: known fields only, numbers in range; 422 otherwise."""
    if not isinstance(raw, dict) or not isinstance(raw.get("fields", {}), dict):
        raise InvalidInput("Bố cục phải là đối tượng {fields: {...}}", "The layout must be {fields: {...}}",
                           field="layout")
    out: dict = {"landscape": bool(raw.get("landscape", True)), "fields": {}}
    for name, f in raw.get("fields", {}).items():
        if name not in DEFAULT_LAYOUT["fields"] or not isinstance(f, dict):
            raise InvalidInput(f"Không có trường '{name}' trên bằng khen", f"No certificate field '{name}'",
                               field=f"layout.fields.{name}")
        clean: dict = {}
        for key in NUMBERS:
            if key in f:
                clean[key] = v.integer(f[key], f"layout.fields.{name}.{key}", minimum=0 if key != "size" else 6,
                                       maximum=300 if key != "size" else 72)
        for key in ("bold", "italic"):
            if key in f:
                clean[key] = bool(f[key])
        out["fields"][name] = clean
    return out
