"""Files that would hurt the server or the data — a zip bomb, a sheet understating its
size, a header of a million columns, rows of garbage, a CSV mixing encodings — are read
whole or refused with one short sentence naming the limit and its setting, and nothing
is written."""

import html
import struct
import zipfile
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.management import call_command

from keyplan.accounts.models import Account
from keyplan.imports.models import ImportRun
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def workbook(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def edit_sheet(path, edited, old: bytes, new: bytes):
    """``path`` with ``old`` replaced by ``new`` in its first sheet's XML, as another
    program might have written it."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(edited, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return edited


def test_rows_past_the_sheets_stated_dimension_are_imported(tmp_path, run_import):
    path = workbook(
        tmp_path / "accounts.xlsx",
        [["external_id", "name"], *[[f"D{i}", f"Dimension {i}"] for i in range(1, 6)]],
    )
    # Another program wrote the sheet but stated its size as two rows. (openpyxl writes
    # the element with or without a space before "/>", as lxml is installed or not.)
    edited = edit_sheet(
        path, tmp_path / "edited.xlsx", b'<dimension ref="A1:B6"', b'<dimension ref="A1:B2"'
    )
    code, report = run_import("accounts", edited)
    assert code == 0, report
    assert report["created"] == 5
    assert Account.objects.filter(external_id__startswith="D").count() == 5


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path, run_import, settings):
    settings.KEYPLAN_IMPORT_MAX_UNZIPPED_BYTES = 100_000
    # 1 MB of one letter packs into a few KB: a small file that unpacks to much more.
    path = workbook(tmp_path / "cell.xlsx", [["external_id", "name"], ["B1", "CELL"]])
    path = edit_sheet(path, tmp_path / "bomb.xlsx", b"CELL", b"x" * (1 << 20))
    assert path.stat().st_size < 20_000
    code, report = run_import("accounts", path)
    assert code == 2
    assert report["failure"] == (
        "bomb.xlsx unpacks to 1.0 MB, more than the limit of 98 KB "
        "(setting KEYPLAN_IMPORT_MAX_UNZIPPED_BYTES)."
    )
    assert not Account.objects.filter(external_id="B1").exists()


def test_a_workbook_of_too_many_files_inside_is_refused(tmp_path, run_import, settings):
    settings.KEYPLAN_IMPORT_MAX_ZIP_ENTRIES = 5
    path = workbook(tmp_path / "many.xlsx", [["external_id", "name"], ["Z1", "Zip"]])
    entries = len(zipfile.ZipFile(path).infolist())
    code, report = run_import("accounts", path)
    assert code == 2
    assert report["failure"] == (
        f"many.xlsx holds {entries} files inside, more than the limit of 5 "
        "(setting KEYPLAN_IMPORT_MAX_ZIP_ENTRIES)."
    )


def test_a_cell_longer_than_the_limit_is_refused(tmp_path, run_import, settings):
    settings.KEYPLAN_IMPORT_MAX_CELL_CHARS = 40
    csv_path = write(tmp_path / "long.csv", "external_id,name\nL1,Short\nL2," + "y" * 41 + "\n")
    xlsx_path = workbook(
        tmp_path / "long.xlsx", [["external_id", "name"], ["L1", "Short"], ["L2", "y" * 41]]
    )
    for path in (csv_path, xlsx_path):
        code, report = run_import("accounts", path)
        assert code == 2
        assert report["failure"] == (
            f"{path.name}, row 3: a cell is longer than 40 characters, the limit "
            "(setting KEYPLAN_IMPORT_MAX_CELL_CHARS)."
        )
    assert not Account.objects.exists()


def test_a_huge_csv_cell_is_refused_without_reading_it_whole(tmp_path, run_import):
    # Past the csv module's own limit (131,072): keyplan's limit is what the user reads.
    path = write(tmp_path / "huge.csv", 'external_id,name\nH1,"' + "z" * 300_000 + '"\n')
    code, report = run_import("accounts", path)
    assert code == 2
    assert report["failure"] == (
        "huge.csv, row 2: a cell is longer than 32,767 characters, the limit "
        "(setting KEYPLAN_IMPORT_MAX_CELL_CHARS)."
    )


def test_a_header_of_a_million_columns_gives_a_short_message(tmp_path, run_import):
    path = write(tmp_path / "wide.csv", ",".join(f"c{i}" for i in range(1_000_000)) + "\n")
    code, report = run_import("accounts", path)
    assert code == 2
    assert report["failure"] == (
        "wide.csv, row 1: 1,000,000 columns, more than the limit of 500 "
        "(setting KEYPLAN_IMPORT_MAX_COLUMNS)."
    )


def test_a_header_within_the_column_limit_is_listed_briefly(tmp_path, run_import):
    path = write(tmp_path / "wide.csv", ",".join(f"c{i}" for i in range(400)) + "\n")
    code, report = run_import("accounts", path)
    assert code == 2
    assert "its columns are: c0, c1," in report["failure"]
    assert "c49 and 350 more)" in report["failure"]
    assert len(report["failure"]) < 1000


def test_empty_cells_at_the_end_of_rows_are_not_columns(tmp_path, run_import, settings):
    settings.KEYPLAN_IMPORT_MAX_COLUMNS = 3
    path = write(tmp_path / "trailing.csv", "external_id,name,,,,,\nT1,Trailing,,,,,\n")
    code, report = run_import("accounts", path)
    assert code == 0, report
    assert Account.objects.get(external_id="T1").name == "Trailing"


def test_a_file_over_the_row_limit_is_refused_and_nothing_written(tmp_path, run_import, settings):
    settings.KEYPLAN_IMPORT_MAX_ROWS = 10
    rows = "".join(f"R{i},Row {i}\n" for i in range(20))
    path = write(tmp_path / "rows.csv", "external_id,name\n" + rows)
    code, report = run_import("accounts", path)
    assert code == 2
    assert report["failure"] == (
        "rows.csv has more than 10 rows, the limit (setting KEYPLAN_IMPORT_MAX_ROWS)."
    )
    assert not Account.objects.exists()
    assert not (tmp_path / "rows.rejects.csv").exists()


def test_an_import_of_garbage_stops_early_with_the_reason(tmp_path, run_import, settings):
    settings.KEYPLAN_IMPORT_STOP_AFTER_INVALID_ROWS = 50
    rows = "".join(f"G{i},Garbage {i},#{i}?\n" for i in range(10_000))
    path = write(tmp_path / "garbage.csv", "external_id,name,employees\n" + rows)
    code, report = run_import("accounts", path, "--skip-invalid")
    assert code == 2
    failure = report["failure"]
    assert failure.startswith(
        "The first 50 rows of garbage.csv are all invalid, so it does not look like a file "
        "of accounts: stopped without reading further (row 2, Employees “#0?”: "
    )
    assert failure.endswith(
        "The number of rows is the setting KEYPLAN_IMPORT_STOP_AFTER_INVALID_ROWS."
    )
    assert not Account.objects.exists()
    assert not (tmp_path / "garbage.rejects.csv").exists()


def test_invalid_rows_after_a_valid_one_do_not_stop_the_import(tmp_path, run_import, settings):
    settings.KEYPLAN_IMPORT_STOP_AFTER_INVALID_ROWS = 50
    rows = "".join(f"G{i},Garbage {i},#{i}?\n" for i in range(100))
    path = write(tmp_path / "mixed.csv", "external_id,name,employees\nV1,Valid,10\n" + rows)
    code, report = run_import("accounts", path, "--skip-invalid")
    assert code == 1
    assert report["rejected"] == 100 and report["created"] == 1


def test_a_long_value_is_cut_in_messages(tmp_path, run_import):
    path = write(
        tmp_path / "long.csv", "external_id,name,employees\nV1,Valid," + "9x" * 2000 + "\n"
    )
    code, report = run_import("accounts", path)
    assert code == 1
    (error,) = report["errors"]
    cut = ("9x" * 100)[:199] + "…"
    assert error["value"] == cut
    assert error["message"] == f"“{cut}” is not a number"


def test_the_error_list_is_capped_and_the_rejects_file_holds_them_all(tmp_path, run_import):
    rows = "".join(f"G{i},Garbage {i},#{i}?\n" for i in range(1_500))
    path = write(tmp_path / "many.csv", "external_id,name,employees\nV1,Valid,10\n" + rows)
    code, report = run_import("accounts", path)
    assert code == 1
    assert report["error_count"] == 1_500
    assert len(report["errors"]) == 1_000
    assert report["errors_not_listed"] == 500
    assert not Account.objects.exists()  # all or nothing still
    lines = (tmp_path / "many.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 1_500


def test_a_csv_mixing_utf8_and_windows_1252_is_refused_with_offset_and_line(tmp_path, run_import):
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        b"external_id,name,city\n"
        + "U1,Müller,Zürich\n".encode()
        + "W1,Bäcker,Zürich\n".encode("cp1252")
    )
    code, report = run_import("accounts", path)
    assert code == 2
    # "external_id,name,city\n" is 22 bytes, "U1,Müller,Zürich\n" 19; "W1,B" 4 more.
    assert report["failure"] == (
        "mixed.csv mixes encodings: it is not valid UTF-8 at byte 45 (line 3, byte 0xE4), "
        "although text before it is UTF-8; no single --encoding reads it: fix that line, "
        "or save the whole file again as UTF-8."
    )
    assert not Account.objects.exists()


def test_a_bad_byte_past_the_detected_start_is_refused_with_offset_and_line(tmp_path, run_import):
    lines = "".join(f"A{i},Account {i}\n" for i in range(10_000))  # ~170 KB of ASCII
    head = ("external_id,name\n" + lines).encode()
    path = tmp_path / "late.csv"
    path.write_bytes(head + "Z1,Zoë\n".encode("cp1252"))
    code, report = run_import("accounts", path)
    assert code == 2
    offset = len(head) + len("Z1,Zo")
    assert report["failure"] == (
        f"late.csv is not valid UTF-8 at byte {offset:,} (line 10,002, byte 0xEB): "
        "give the right one with --encoding."
    )
    assert not Account.objects.exists()


def test_utf8_later_in_a_windows_1252_file_is_refused_not_stored_as_mojibake(tmp_path, run_import):
    lines = "".join(f"A{i},Café {i}\n" for i in range(10_000))  # ~160 KB of Windows-1252
    head = ("external_id,name\n" + lines).encode("cp1252")
    path = tmp_path / "late.csv"
    path.write_bytes(head + "Z1,Zürich\n".encode())
    code, report = run_import("accounts", path)
    assert code == 2
    offset = len(head) + len("Z1,Z")
    assert report["failure"] == (
        f"late.csv mixes encodings: at byte {offset:,} (line 10,002) it holds UTF-8 text "
        "(“ü”) although it reads as Windows-1252 elsewhere; no single --encoding reads it: "
        "fix that line, or save the whole file again as UTF-8."
    )
    assert not Account.objects.filter(name__contains="Ã").exists()
    assert not Account.objects.exists()


def test_a_windows_1252_file_the_user_names_is_read_as_such(tmp_path, run_import):
    path = tmp_path / "named.csv"
    path.write_bytes("external_id,name\nN1,Ã¼ber\n".encode("cp1252"))
    code, report = run_import("accounts", path, "--encoding", "cp1252")
    assert code == 0, report
    assert Account.objects.get(external_id="N1").name == "Ã¼ber"


def test_a_web_upload_over_the_size_limit_is_refused(client, org, settings):
    settings.KEYPLAN_IMPORT_MAX_UPLOAD_BYTES = 1000
    client.force_login(org.ops)
    content = b"external_id,name\n" + b"".join(b"S%d,Size %d\n" % (i, i) for i in range(200))
    response = client.post(
        "/imports/", {"kind": "accounts", "file": SimpleUploadedFile("big.csv", content)}
    )
    assert response.status_code == 200
    assert (
        "big.csv is larger than the limit of 1,000 bytes for an upload "
        "(setting KEYPLAN_IMPORT_MAX_UPLOAD_BYTES)."
    ) in html.unescape(response.content.decode())
    assert ImportRun.objects.count() == 0


def test_an_api_upload_over_the_size_limit_is_refused(api_client, org, settings):
    settings.KEYPLAN_IMPORT_MAX_UPLOAD_BYTES = 1000
    api_client.force_authenticate(org.ops)
    content = b"external_id,name\n" + b"".join(b"S%d,Size %d\n" % (i, i) for i in range(200))
    response = api_client.post(
        "/api/v1/imports/",
        {"kind": "accounts", "file": SimpleUploadedFile("big.csv", content)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {
        "file": [
            "big.csv is larger than the limit of 1,000 bytes for an upload "
            "(setting KEYPLAN_IMPORT_MAX_UPLOAD_BYTES)."
        ]
    }
    assert ImportRun.objects.count() == 0


def test_the_command_line_says_where_the_errors_it_does_not_print_are(tmp_path, db):
    rows = "".join(f"G{i},Garbage {i},#{i}?\n" for i in range(1_500))
    path = write(tmp_path / "many.csv", "external_id,name,employees\nV1,Valid,10\n" + rows)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "accounts", str(path), stdout=out)
    text = out.getvalue()
    assert "  … and 1,450 more errors (all are in the rejects file).\n" in text
    assert f"  Rejected rows are in {tmp_path / 'many.rejects.csv'}: fix them" in text


def test_a_web_upload_of_a_million_columns_fails_with_a_short_message(client, org):
    client.force_login(org.ops)
    content = ",".join(f"c{i}" for i in range(1_000_000)).encode() + b"\n"
    client.post("/imports/", {"kind": "accounts", "file": SimpleUploadedFile("wide.csv", content)})
    run = ImportRun.objects.get()
    page = html.unescape(client.get(f"/imports/{run.pk}/map/", follow=True).content.decode())
    assert (
        "wide.csv, row 1: 1,000,000 columns, more than the limit of 500 "
        "(setting KEYPLAN_IMPORT_MAX_COLUMNS)."
    ) in page
    assert len(page) < 50_000


def test_a_sheet_larger_than_its_zip_entry_states_is_refused(tmp_path, run_import):
    """A zip may understate an entry's size to slip past the limit: the entry is read no
    further than stated, and the file is refused in one sentence."""
    path = workbook(
        tmp_path / "liar.xlsx",
        [["external_id", "name"], *[[f"L{i}", "x" * 100] for i in range(100)]],
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    name = info.filename.encode()
    local = info.header_offset
    data[local + 22 : local + 26] = struct.pack("<I", 500)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = struct.pack("<I", 500)
    path.write_bytes(bytes(data))
    code, report = run_import("accounts", path)
    assert code == 2
    assert report["failure"].startswith("liar.xlsx is not a readable .xlsx workbook")
    assert "Bad CRC-32" in report["failure"]
    assert not Account.objects.exists()


class KeepsCount(FileUploadHandler):
    """Stands for the handlers that write an upload to memory or disk."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        KeepsCount.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def test_an_upload_over_the_limit_is_never_stored(client, org, settings):
    settings.KEYPLAN_IMPORT_MAX_UPLOAD_BYTES = 100_000
    settings.FILE_UPLOAD_HANDLERS = [
        "keyplan.imports.uploads.UploadSizeLimit",
        f"{__name__}.KeepsCount",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    KeepsCount.received = 0
    client.force_login(org.ops)
    content = b"external_id,name\n" + b"x" * 5_000_000
    response = client.post(
        "/imports/", {"kind": "accounts", "file": SimpleUploadedFile("big.csv", content)}
    )
    assert "is larger than the limit of 98 KB" in html.unescape(response.content.decode())
    assert KeepsCount.received <= 100_000
