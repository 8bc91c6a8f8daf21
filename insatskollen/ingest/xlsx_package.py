"""An .xlsx as a package: its zip members read with a running cap on decompressed bytes (declared sizes
can lie), and its XML parts parsed with defusedxml's iterparse (no DTDs, no entity expansion), each element
let go once read so memory stays flat."""

from __future__ import annotations

import io
import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from insatskollen.ingest.reading import (
    MAX_UNZIPPED_BYTES,
    MAX_XML_ELEMENTS,
    ReadFailure,
    check_memory,
    megabytes,
    thousands,
)


class Package:
    """Members of an .xlsx read with a running cap on decompressed bytes."""

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise ReadFailure("filen är inte en giltig Excel-fil (.xlsx)") from None
        declared = sum(i.file_size for i in self.zip.infolist())
        if declared > MAX_UNZIPPED_BYTES:
            raise ReadFailure(
                f"Excel-filen packas upp till {megabytes(declared)} MB (högst {megabytes(MAX_UNZIPPED_BYTES)} MB); "
                "spara om den som CSV"
            )
        self.used = 0

    def open(self, path: str):
        if path not in self.names:
            raise ReadFailure(f"filen är inte en giltig Excel-fil (.xlsx): delen {path} saknas")
        return _Capped(self, self.zip.open(path))


class _Capped(io.RawIOBase):
    """A zip member stream that stops at the decompressed-size cap, whatever the header declared."""

    def __init__(self, owner: Package, inner):
        self.owner, self.inner = owner, inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            chunk = self.inner.read(len(buffer))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            raise ReadFailure(
                "Excel-filen är skadad (en del kan inte packas upp); spara om den i Excel"
            ) from None
        except Exception as error:  # zlib.error and friends
            raise ReadFailure(
                "Excel-filen är skadad (en del kan inte packas upp); spara om den i Excel"
            ) from error
        self.owner.used += len(chunk)
        if self.owner.used > MAX_UNZIPPED_BYTES:
            raise ReadFailure(
                f"Excel-filen packas upp till mer än {megabytes(MAX_UNZIPPED_BYTES)} MB; spara om den som CSV"
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def xml_events(source, path: str):
    """iterparse with defusedxml: a DTD or entity declaration is refused, not expanded. Each element is
    detached from its parent once the reader has seen its end, so memory stays flat however many rows,
    cells or rich-text runs a part has (a shared string of three million runs kept them all before)."""
    stack = []
    elements = 0
    try:
        for event, element in iterparse(io.BufferedReader(source), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                elements += 1
                if not elements % 4096:
                    check_memory()
                if elements > MAX_XML_ELEMENTS:
                    raise ReadFailure(
                        f"Excel-filen har orimligt många XML-element i {path} (mer än "
                        f"{thousands(MAX_XML_ELEMENTS)}); spara om den som CSV"
                    )
                stack.append(element)
                yield event, element
                continue
            stack.pop()
            yield event, element
            element.clear()
            if stack and len(stack[-1]) and stack[-1][-1] is element:
                del stack[-1][-1]
    except DefusedXmlException:
        raise ReadFailure(
            "Excel-filen innehåller XML-deklarationer som inte tillåts (DTD eller entiteter)"
        ) from None
    except SyntaxError:  # xml.etree.ElementTree.ParseError
        raise ReadFailure(f"Excel-filen är skadad (ogiltig XML i {path}); spara om den i Excel") from None


def local_name(element) -> str:
    return element.tag.rsplit("}", 1)[-1]
