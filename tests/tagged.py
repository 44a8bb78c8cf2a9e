"""Reading a tagged PDF back for tests, two ways that share no code:

- pypdf: the structure tree as objects (roles, /Alt, /ActualText, marked-content
  references, widget references) and, page by page, which marked content every
  painting operator sits in;
- poppler's `pdfinfo -struct-text`: the tree with the text of each element, as a
  screen reader would be given it.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

# operators that put marks on the page (text, paths, shadings, XObjects, inline images)
PAINTING = {
    b"Tj", b"TJ", b"'", b'"', b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*",
    b"sh", b"Do", b"INLINE IMAGE",
}  # fmt: skip
TEXT = {b"Tj", b"TJ", b"'", b'"'}


@dataclass(eq=False)
class Elem:
    """A structure element read with pypdf."""

    role: str
    obj: DictionaryObject
    parent: Elem | None = None
    children: list[Elem] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID)
    widgets: list[int] = field(default_factory=list)  # object numbers of widgets

    def get(self, key: str) -> str | None:
        value = self.obj.get(key)
        return None if value is None else str(value)

    def walk(self) -> Iterator[Elem]:
        yield self
        for c in self.children:
            yield from c.walk()

    def ancestors(self) -> list[str]:
        out, e = [], self.parent
        while e is not None:
            out.append(e.role)
            e = e.parent
        return out


@dataclass
class Tagged:
    reader: PdfReader
    root: Elem  # the element under /StructTreeRoot (a Document)
    parent_tree: dict[int, object]

    def elements(self) -> list[Elem]:
        return list(self.root.walk())


def read(path: Path | BinaryIO) -> Tagged:
    reader = PdfReader(path, strict=True)
    catalog = reader.trailer["/Root"]
    tree = catalog["/StructTreeRoot"].get_object()
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}

    def page_of(d: DictionaryObject, inherited: int | None) -> int | None:
        pg = d.get("/Pg")
        return pages[pg.idnum] if pg is not None else inherited

    def elem(ref: IndirectObject | DictionaryObject, parent: Elem | None) -> Elem:
        d = ref.get_object()
        e = Elem(str(d["/S"])[1:], d, parent)
        page = page_of(d, None)
        kids = d.get("/K")
        if kids is None:
            kids = ArrayObject()
        elif not isinstance(kids, ArrayObject):
            kids = ArrayObject([kids])
        for k in kids:
            if isinstance(k, int):
                assert page is not None, f"{e.role}: MCID {k} with no /Pg"
                e.mcids.append((page, int(k)))
                continue
            kd = k.get_object()
            kind = kd.get("/Type")
            if kind == "/MCR":
                mcr_page = page_of(kd, page)
                assert mcr_page is not None
                e.mcids.append((mcr_page, int(kd["/MCID"])))
            elif kind == "/OBJR":
                e.widgets.append(kd.raw_get("/Obj").idnum)
            else:
                e.children.append(elem(k, e))
        return e

    top = tree["/K"]
    if isinstance(top, ArrayObject):
        assert len(top) == 1, "one root element"
        top = top[0]
    root = elem(top, None)
    nums: dict[int, object] = {}

    def number_tree(node: DictionaryObject) -> None:
        node = node.get_object()
        flat = node.get("/Nums", [])
        for i in range(0, len(flat), 2):
            nums[int(flat[i])] = flat[i + 1]
        for kid in node.get("/Kids", []):
            number_tree(kid)

    number_tree(tree["/ParentTree"])
    return Tagged(reader, root, nums)


@dataclass(frozen=True)
class Painted:
    page: int
    operator: bytes
    marks: tuple[tuple[str, int | None], ...]  # (tag, MCID) from outer to inner


def painted(reader: PdfReader) -> Iterator[Painted]:
    """Every painting operator on every page with the marked content around it."""
    for i, page in enumerate(reader.pages):
        contents = page.get_contents()
        if contents is None:
            continue
        stack: list[tuple[str, int | None]] = []
        for operands, op in ContentStream(contents, reader).operations:
            if op == b"BMC":
                stack.append((str(operands[0])[1:], None))
            elif op == b"BDC":
                props = operands[1]
                if not isinstance(props, DictionaryObject):
                    props = page["/Resources"]["/Properties"][props]
                mcid = props.get("/MCID")
                stack.append((str(operands[0])[1:], None if mcid is None else int(mcid)))
            elif op == b"EMC":
                assert stack, f"page {i + 1}: EMC with nothing open"
                stack.pop()
            elif op in PAINTING:
                yield Painted(i, op, tuple(stack))
        assert not stack, f"page {i + 1}: marked content left open"


# --- poppler --------------------------------------------------------------------------


@dataclass(eq=False)
class Read:
    """An element as poppler reads it: its role, its title and its text."""

    role: str
    title: str | None = None
    text: str = ""
    objects: int = 0  # widget references
    children: list[Read] = field(default_factory=list)

    def walk(self) -> Iterator[Read]:
        yield self
        for c in self.children:
            yield from c.walk()

    def all_text(self) -> str:
        return norm(" ".join(e.text for e in self.walk()))


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_ROLE = re.compile(r'^(\w+)(?: "(.*)")?(?: \((?:block|inline)\))?:?$')


def poppler(path: Path) -> Read:
    """`pdfinfo -struct-text`: the Document element with its descendants."""
    raw = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", "-struct-text", str(path)], capture_output=True, check=True
    ).stdout
    # text in UTF-8, but poppler prints an element's title (/T) in its PDF encoding
    out = "\n".join(_decode(line) for line in raw.split(b"\n"))
    stack: list[tuple[int, Read]] = []
    root: Read | None = None
    for line in out.splitlines():
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if body.startswith('"'):
            parent = stack[-1][1]
            parent.text = norm(f"{parent.text} {body[1:-1]}")
            continue
        if body.startswith("/"):  # an attribute, e.g. /Scope /Row
            continue
        if body.startswith("Object "):
            stack[-1][1].objects += 1
            continue
        m = _ROLE.match(body)
        assert m, f"unexpected line from pdfinfo: {line!r}"
        node = Read(m.group(1), m.group(2))
        if stack:
            stack[-1][1].children.append(node)
        elif root is None:
            root = node
        stack.append((depth, node))
    assert root is not None, "pdfinfo printed no structure"
    return root


def _decode(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("latin-1")


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, encoding="utf-8", check=True
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}
