"""A reportlab canvas that writes each page to the file as soon as the page is finished.

reportlab's PDFDocument keeps every page (its dictionary and its uncompressed drawing code) in
memory until Canvas.save() and only then writes the file: 19,000 consent forms took ~500 MB and
the first byte appeared at the very end. Here each finished page and its content stream are
formatted by reportlab's own code, written at once and dropped; only what the pages share (the
fonts, whose subsets are known only at the end, the page tree, catalog and info) waits for
save(). A PDF may hold its objects in any order: the cross-reference table at the end gives the
offset of each, so the file is an ordinary PDF.

This uses reportlab's document internals (PDFDocument.addPage/format, pdfdoc 4.x and 5.x);
tests/desktop/printing/test_streaming.py and the golden outputs check them on every upgrade.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

_HEADER = b"\n%\223\214\213\236 ReportLab Generated PDF document (opensource)\n"


class _Written(pdfdoc.PDFObject):
    """Stands in for an object already in the file (its number and offset are kept)."""


_WRITTEN = _Written()


class _StreamingDocument(pdfdoc.PDFDocument):
    def __init__(self, out: BinaryIO, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._out = out
        self._offset = 0
        self._written: set[str] = set()
        self._write(pdfdoc.pdfdocEnc(f"%PDF-{self._pdfVersion[0]}.{self._pdfVersion[1]}")
                    + _HEADER)

    def _write(self, data: bytes) -> int:
        at = self._offset
        self._out.write(data)
        self._offset += len(data)
        return at

    def _write_object(self, name: str, obj: pdfdoc.PDFObject) -> None:
        self.idToOffset[name] = self._write(pdfdoc.PDFIndirectObject(name, obj).format(self))
        self._written.add(name)
        self.idToObject[name] = _WRITTEN

    def addPage(self, page: pdfdoc.PDFPage) -> None:  # noqa: N802 (reportlab's name)
        name = self.thisPageName()
        super().addPage(page)
        self._write_object(name, page)  # formatting registers the page's content stream
        contents = page.Contents
        self._write_object(contents.__InternalName__, contents)
        self.Pages.pages[-1] = pdfdoc.PDFObjectReference(name)
        if self.pageCounter == 2:
            self._out.flush()  # the first page is on disk at once

    def SaveToFile(self, filename: object, canvas: Canvas) -> None:  # noqa: N802
        self.GetPDFData(canvas)
        self._out.flush()

    def format(self) -> bytes:
        """What is left, in object-number order, then the cross-reference table and trailer
        (PDFDocument.format, without the objects already written)."""
        self.encrypt.prepare(self)
        self.Reference(self.Catalog)
        self.Reference(self.info)
        ids = []
        number = 1
        while number in self.numberToId:  # objects may be registered while formatting
            name = self.numberToId[number]
            if name not in self._written:
                self._write_object(name, self.idToObject[name])
            ids.append(name)
            number += 1
        xref = pdfdoc.PDFCrossReferenceTable()
        xref.addsection(0, ids)
        start = self._write(xref.format(self))
        trailer = pdfdoc.PDFTrailer(startxref=start, Size=len(ids) + 1,
                                    Root=self.Reference(self.Catalog),
                                    Info=self.Reference(self.info), Encrypt=None, ID=self.ID())
        self._write(trailer.format(self))
        return b""


class _RepeatingCanvas(Canvas):
    """A Canvas that formats a string it drew before, at the same place in the same font,
    only once: a form repeats most of its text on every page (the intro, the purposes, the
    captions), and formatting text (glyph subsets, escaping, numbers) is most of a page's
    time. The code of the first drawing is appended again, which is what formatting it again
    would give: the text state it depends on (font, size, leading, place) is the key, and
    the font subsets its glyphs went to are the document's from the first drawing on. Only
    plain calls are remembered (no mode, spacing, direction or shaping)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawn: dict[tuple, str] = {}

    def _again(self, kind: str, x: float, y: float, text: str, draw: Any, plain: bool) -> None:
        if not plain or not self.bottomup:
            draw()
            return
        key = (kind, x, y, text, self._fontname, self._fontsize, self._leading)
        code = self._drawn.get(key)
        if code is None:
            before = len(self._code)
            draw()
            if len(self._code) == before + 1:
                self._drawn[key] = self._code[-1]
        else:
            self._code.append(code)

    def drawString(self, x: float, y: float, text: str, mode: Any = None,  # noqa: N802
                   charSpace: float = 0, direction: Any = None, wordSpace: Any = None,  # noqa: N803
                   shaping: bool = False) -> None:
        self._again("left", x, y, text, lambda: super(_RepeatingCanvas, self).drawString(
            x, y, text, mode, charSpace, direction, wordSpace, shaping),
            mode is None and not charSpace and direction is None and wordSpace is None
            and not shaping)

    def drawRightString(self, x: float, y: float, text: str, mode: Any = None,  # noqa: N802
                        charSpace: float = 0, direction: Any = None,  # noqa: N803
                        wordSpace: Any = None, shaping: bool = False) -> None:  # noqa: N803
        self._again("right", x, y, text, lambda: super(_RepeatingCanvas, self).drawRightString(
            x, y, text, mode, charSpace, direction, wordSpace, shaping),
            mode is None and not charSpace and direction is None and wordSpace is None
            and not shaping)


def streaming_canvas(out: BinaryIO, *, repeat: bool = True, **kwargs: Any) -> Canvas:
    """A Canvas (same arguments, no encryption) whose pages go to `out` as they are shown;
    with `repeat` a string drawn again at the same place is formatted once
    (_RepeatingCanvas: the same bytes, sooner)."""
    canvas = (_RepeatingCanvas if repeat else Canvas)(out, **kwargs)
    old = canvas._doc
    canvas._doc = _StreamingDocument(out, compression=old.compression, invariant=old.invariant,
                                     pdfVersion=old._pdfVersion)
    canvas._make_preamble()  # the initial font, registered in the new document
    return canvas
