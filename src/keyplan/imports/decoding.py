"""Text encodings of CSV files: detected from the start, verified to the end.

The encoding is guessed from the first 64 KB, but a file may change encoding further on
(rows pasted from another system): every byte is checked as the file streams through
``VerifiedReader``, and the first byte that does not fit stops the import with its byte
offset and line — a file is never stored as mojibake (``ZÃ¼rich``).
"""

import codecs
import io
import re

from keyplan.imports.wording import advice

# A UTF-8 encoded non-ASCII character. In a Windows-1252 file these byte pairs read as
# mojibake ("Ã¼" for "ü"), and almost never occur in real Windows-1252 text.
UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
NON_ASCII = re.compile(rb"[\x80-\xff]")

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
}


class EncodingError(Exception):
    """A byte that does not fit the file's encoding; the message is one sentence."""


def encoding_name(encoding: str) -> str:
    return ENCODING_NAMES.get(encoding.lower(), encoding)


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file from its first bytes. Raises ``EncodingError`` for a binary
    file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        # UTF-16 without a BOM shows as every other byte being zero in ASCII text.
        zeros_even = sample[0::2].count(0)
        zeros_odd = sample[1::2].count(0)
        if zeros_odd > len(sample) // 4 and zeros_even == 0:
            return "utf-16-le"
        if zeros_even > len(sample) // 4 and zeros_odd == 0:
            return "utf-16-be"
        raise EncodingError("The file is binary, not a CSV or Excel file.")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            return "utf-8"  # a multi-byte character cut at the end of the sample
        if UTF8_CHARACTER.search(sample):
            # Some of it is UTF-8, some not: read it as UTF-8, which refuses the first
            # byte that is not, with its offset and line.
            return "utf-8"
        return "cp1252"


class VerifiedReader(io.RawIOBase):
    """Wraps a binary file: counts the bytes read (for progress) and checks each chunk
    against ``encoding`` before it is decoded. With ``refuse_utf8`` (a Windows-1252 file
    that keyplan detected, not one the user named), UTF-8 characters are refused too."""

    def __init__(self, raw, *, encoding: str, file_name: str, refuse_utf8: bool = False):
        self.raw = raw
        self.encoding = encoding
        self.file_name = file_name
        self.refuse_utf8 = refuse_utf8
        self.count = 0
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self._newlines = 0
        self._tail = b""  # the last bytes of the previous chunk: a character may span two
        self._non_ascii_seen = False

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        self._verify(data, final=not data)
        n = len(data)
        buffer[:n] = data
        self.count += n
        self._newlines += data.count(b"\n")
        self._tail = data[-3:]
        return n

    def _verify(self, data: bytes, *, final: bool) -> None:
        state = self._decoder.getstate()
        pending = state[0] if isinstance(state, tuple) else b""
        try:
            self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            before = exc.object[: exc.start]
            offset = self.count - len(pending) + exc.start
            line = self._newlines - pending.count(b"\n") + before.count(b"\n") + 1
            bad = exc.object[exc.start : exc.start + 1]
            mixed = self._non_ascii_seen or bool(NON_ASCII.search(before))
            raise EncodingError(self._invalid(offset, line, bad, mixed)) from None
        if self.refuse_utf8:
            window = self._tail + data
            found = UTF8_CHARACTER.search(window)
            if found:
                offset = self.count - len(self._tail) + found.start()
                line = (
                    self._newlines
                    - self._tail.count(b"\n")
                    + window[: found.start()].count(b"\n")
                    + 1
                )
                raise EncodingError(
                    f"{self.file_name} mixes encodings: at byte {offset:,} (line {line:,}) "
                    f"it holds UTF-8 text (“{found.group().decode('utf-8')}”) although it "
                    f"reads as Windows-1252 elsewhere; " + advice("mixed_encoding")
                )
        if not self._non_ascii_seen and NON_ASCII.search(data):
            self._non_ascii_seen = True

    def _invalid(self, offset: int, line: int, bad: bytes, mixed: bool) -> str:
        name = encoding_name(self.encoding)
        where = f"at byte {offset:,} (line {line:,}"
        where += f", byte 0x{bad[0]:02X})" if bad else ")"
        if mixed and name == "UTF-8":
            return (
                f"{self.file_name} mixes encodings: it is not valid UTF-8 {where}, although "
                "text before it is UTF-8; " + advice("mixed_encoding")
            )
        return f"{self.file_name} is not valid {name} {where}: " + advice("encoding")
