"""The YAML loader: hostile and broken files are rejected at their exact place; YAML 1.1 traps do not spring."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest
import yaml
from conftest import DESIGN_CATALOG, LOADER_DATA, load_error, parse_text

from vendormatch.files.diagnostics import UnreadableInputError, VendormatchError
from vendormatch.files.loader import Limits, YamlFloat, YamlInt, load_yaml, parse_yaml

ACME = DESIGN_CATALOG / "vendors" / "acme-crm.yaml"

# file in tests/data/loader -> (line, column, code, words the message must contain)
REJECTED: dict[str, tuple[int, int, str, tuple[str, ...]]] = {
    # `product:` indented under a scalar: the classic indentation slip.
    "syntax-error.yaml": (3, 10, "syntax", ("YAML syntax error", "mapping values are not allowed")),
    # The second `starter:` is reported; the message points back at the first one.
    "duplicate-key.yaml": (6, 3, "duplicate-key", ("duplicate key 'starter'", "first defined at line 3, column 3")),
    "python-object-tag.yaml": (2, 9, "unsafe-tag", ("python/object/apply:os.system", "not allowed")),
    "custom-tag.yaml": (4, 11, "unsafe-tag", ("'!foo'", "not allowed")),
    # Reported at the first alias that pushes the expansion past the bound: the first *e on line 6.
    "billion-laughs.yaml": (6, 8, "alias-bomb", ("100,000 nodes", "billion laughs")),
    # 100 nested mappings: the 65th (holding level64, on line 65) is one past the 64-level limit.
    "deep-block.yaml": (65, 129, "too-deep", ("deeper than 64 levels",)),
    # A Latin-1 'é' after 'vendor: Müller Soft': the column counts characters, so the UTF-8 'ü' is one.
    "invalid-utf8.yaml": (3, 20, "not-utf8", ("0xe9", "UTF-8")),
    "nul-byte.yaml": (2, 13, "nul-byte", ("NUL byte",)),
    "utf16.yaml": (1, 1, "not-utf8", ("UTF-16", "save it as UTF-8")),
    "two-documents.yaml": (3, 1, "multiple-documents", ("second YAML document",)),
    "control-character.yaml": (2, 13, "bad-character", ("#x0007", "not allowed")),
}


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected_file_is_located(name: str) -> None:
    line, column, code, words = REJECTED[name]
    path = LOADER_DATA / name
    with pytest.raises(VendormatchError) as info:
        load_yaml(path)
    assert len(info.value.diagnostics) == 1
    found = info.value.diagnostics[0]
    assert (found.file, found.line, found.column, found.severity, found.code) == (str(path), line, column, "error", code)
    for word in words:
        assert word in found.message
    assert info.value.exit_code == 1



#: YAML text -> (line, column, words the message must hold): the place the parser stopped, where
#: the broken construct began, and the fix for that kind of mistake.
SYNTAX: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "a: 1\nb: {x: 1, y: 2\nc: 3\n": (3, 2, ("'{' mapping began at line 2, column 4", "close the '{'")),
    "a: 1\nb: \"open\nc: 3\n": (4, 1, ("quoted value began at line 2, column 4", "close the quote")),
    "a: [1, 2\nb: 3\n": (2, 2, ("'[' list began at line 1, column 4", "close the '['")),
    "a: 1\nb: x: y\n": (2, 5, ("mapping values are not allowed", "quote a value that holds ': '")),
    "a:\n\tb: 1\n": (2, 1, ("indent with spaces",)),
    "a:\n  b: 1\n c: 2\n": (3, 2, ("mapping began at line 1, column 1", "line this key up")),
}


@pytest.mark.parametrize("text", sorted(SYNTAX))
def test_a_syntax_error_says_where_the_construct_began_and_how_to_fix_it(text: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VendormatchError) as info:
        load_yaml(path)
    [found] = info.value.diagnostics
    line, column, words = SYNTAX[text]
    assert (found.line, found.column, found.code) == (line, column, "syntax"), found
    assert all(word in found.message for word in words), found.message

def test_display_name_is_used_in_diagnostics() -> None:
    with pytest.raises(VendormatchError) as info:
        load_yaml(LOADER_DATA / "duplicate-key.yaml", display="vendors/acme.yaml")
    assert str(info.value.diagnostics[0]).startswith("vendors/acme.yaml:6:3: error duplicate key 'starter'")
    assert str(info.value.diagnostics[0]).endswith("(duplicate-key)")


def test_python_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    raw = f'a: !!python/object/apply:os.system ["touch {marker}"]\n'.encode()
    found = load_error(raw)
    assert (found.line, found.column, found.code) == (1, 4, "unsafe-tag")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: !!set {x, y}\n", (1, 4)),
        ("a: !!binary aGVsbG8=\n", (1, 4)),
        ("a: !!timestamp 2001-12-14\n", (1, 4)),
        ("a:\n  - !!python/name:os.system\n", (2, 5)),
        ("a: !foo {x: 1}\n", (1, 4)),
        ("a: !foo [1]\n", (1, 4)),
    ],
)
def test_other_tags_are_unsafe(text: str, where: tuple[int, int]) -> None:
    found = load_error(text.encode())
    assert ((found.line, found.column), found.code) == (where, "unsafe-tag")


def test_plain_type_tags_are_allowed() -> None:
    doc = parse_text("a: !!str 12\nb: !!float 3\nc: !!int 7\nd: !!bool true\ne: !!null ~\n")
    assert doc.data == {"a": "12", "b": 3.0, "c": 7, "d": True, "e": None}
    assert isinstance(doc.data["b"], float)


def test_plain_type_tag_with_wrong_value() -> None:
    found = load_error(b"a: 1\nb: !!int many\n")
    assert (found.line, found.column, found.code) == (2, 4, "bad-tag")
    assert "'many' is not a valid !!int" in found.message


def test_billion_laughs_fails_fast() -> None:
    # A guard against a hang, not a benchmark: expanding this file would take minutes and gigabytes.
    start = time.perf_counter()
    with pytest.raises(VendormatchError) as info:
        load_yaml(LOADER_DATA / "billion-laughs.yaml")
    assert [d.code for d in info.value.diagnostics] == ["alias-bomb"]
    assert time.perf_counter() - start < 2.0


def test_anchors_within_the_bound_load() -> None:
    doc = load_yaml(LOADER_DATA / "anchors.yaml")
    core = ["contact-management", "opportunity-pipeline"]
    assert doc.data == {"editions": {name: {"features": core} for name in ("starter", "pro", "team")}}
    # An alias is located where the alias is written.
    assert doc.values[("editions", "pro", "features")] == (5, 15)
    assert doc.values[("editions", "starter", "features", 1)] == (3, 42)


def test_alias_bound_is_counted_in_nodes() -> None:
    # The aliased list is 3 nodes (the list and its two items): two aliases add 6.
    path = LOADER_DATA / "anchors.yaml"
    assert load_yaml(path, Limits(max_alias_nodes=6)).data["editions"]["team"]["features"]
    with pytest.raises(VendormatchError) as info:
        load_yaml(path, Limits(max_alias_nodes=5))
    found = info.value.diagnostics[0]
    assert (found.line, found.column, found.code) == (7, 15, "alias-bomb")
    assert "more than 5 nodes" in found.message


def test_unknown_and_recursive_aliases() -> None:
    found = load_error(b"a: 1\nb: *nowhere\n")
    assert (found.line, found.column, found.code) == (2, 4, "unknown-alias")
    assert "'*nowhere'" in found.message
    # A node cannot contain an alias to itself: that would build a cycle.
    found = load_error(b"a: &loop\n  - 1\n  - *loop\n")
    assert (found.line, found.column, found.code) == (3, 5, "unknown-alias")


def test_block_nesting_at_the_limit_loads() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(63)) + "  " * 63 + "leaf: 1\n"
    doc = parse_text(text)
    node = doc.data
    for i in range(63):
        node = node[f"k{i}"]
    assert node == {"leaf": 1}


def test_flow_mapping_nesting_20000_deep() -> None:
    raw = b"{a: " * 20_000 + b"1" + b"}" * 20_000 + b"\n"
    found = load_error(raw)
    # The 65th '{' opens level 65; each '{a: ' is four characters.
    assert (found.line, found.column, found.code) == (1, 257, "too-deep")


def test_flow_sequence_nesting_500_deep() -> None:
    raw = b"a: " + b"[" * 500 + b"]" * 500 + b"\n"
    found = load_error(raw)
    # The root mapping is level 1, so the 64th '[' (column 3 + 64) opens level 65.
    assert (found.line, found.column, found.code) == (1, 67, "too-deep")


FLOW_20000 = b"a: " + b"[" * 20_000 + b"]" * 20_000 + b"\n"


def test_flow_sequence_nesting_20000_deep_is_rejected_fast() -> None:
    start = time.perf_counter()
    found = load_error(FLOW_20000)
    assert (found.line, found.severity) == (1, "error")
    assert found.code in ("too-deep", "syntax")
    assert time.perf_counter() - start < 2.0


@pytest.mark.xfail(
    hasattr(yaml, "CSafeLoader"),
    strict=True,
    reason="known limit: libyaml's scanner looks ahead through flow collections and stops at its own "
    "1,000-level limit before the loader sees the 65th level, so this is a located `syntax` error at 1:1003 "
    "(still rejected at once: see the test above), not `too-deep` at 1:67",
)
def test_flow_sequence_nesting_20000_deep_reports_the_depth_limit() -> None:
    found = load_error(FLOW_20000)
    assert (found.line, found.column, found.code) == (1, 67, "too-deep")
    assert "deeper than 64 levels" in found.message


def test_size_limit_is_checked_before_parsing(tmp_path: Path) -> None:
    size = ACME.stat().st_size
    with pytest.raises(VendormatchError) as info:
        load_yaml(ACME, Limits(max_bytes=100))
    found = info.value.diagnostics[0]
    assert (found.line, found.column, found.code) == (1, 1, "file-too-large")
    assert f"the file is {size:,} bytes, over the 100-byte limit" in found.message
    # parse_yaml guards too, for bytes that never came from a file.
    found = load_error(ACME.read_bytes(), Limits(max_bytes=100))
    assert (found.line, found.column, found.code) == (1, 1, "file-too-large")
    # A file of exactly the limit is accepted.
    assert load_yaml(ACME, Limits(max_bytes=size)).data["id"] == "acme-crm"


def test_invalid_utf8_on_the_first_line() -> None:
    found = load_error(b"name: Caf\xe9\n")
    assert (found.line, found.column, found.code) == (1, 10, "not-utf8")


def test_utf8_error_column_after_a_bom() -> None:
    found = load_error(b"\xef\xbb\xbfa: x\xff\n")
    assert (found.line, found.column, found.code) == (1, 5, "not-utf8")


@pytest.mark.parametrize(
    "raw",
    [
        "id: acme-crm\n".encode("utf-16-le"),
        "id: acme-crm\n".encode("utf-16-be"),
        "id: acme-crm\n".encode("utf-32"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32"],
)
def test_other_encodings_are_rejected(raw: bytes) -> None:
    found = load_error(raw)
    assert (found.line, found.column, found.code) == (1, 1, "not-utf8")


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ("a: éx\x00\n".encode(), (1, 6)),
        ("a: éééé\nb: x\x00\n".encode(), (2, 5)),
        (b"\xef\xbb\xbfa: x\x00\n", (1, 5)),
    ],
    ids=["same-line", "earlier-line", "after-bom"],
)
def test_nul_byte_column_counts_characters(raw: bytes, where: tuple[int, int]) -> None:
    found = load_error(raw)
    assert ((found.line, found.column), found.code) == (where, "nul-byte")


def test_control_character_after_non_ascii_text() -> None:
    found = load_error("a: éééé\nb: ééx\x07y\n".encode())
    assert (found.line, found.column, found.code) == (2, 7, "bad-character")


def test_control_character_in_a_quoted_string() -> None:
    found = load_error(b'a: 1\nb: "x\x1by"\n')
    assert (found.line, found.column, found.code) == (2, 6, "bad-character")
    assert "#x001b" in found.message


def test_second_document_after_an_explicit_end() -> None:
    found = load_error(b"---\na: 1\n...\n---\nb: 2\n")
    assert (found.line, found.column, found.code) == (4, 1, "multiple-documents")


def test_one_explicit_document_loads() -> None:
    assert parse_text("---\na: 1\n...\n").data == {"a": 1}


def test_duplicate_key_in_a_flow_mapping() -> None:
    found = load_error(b"price: {per_user_month: 15, per_user_month: 20}\n")
    assert (found.line, found.column, found.code) == (1, 29, "duplicate-key")
    assert "first defined at line 1, column 9" in found.message


def test_quoted_and_plain_keys_are_the_same_key() -> None:
    found = load_error(b"id: a\n'id': b\n")
    assert (found.line, found.column, found.code) == (2, 1, "duplicate-key")


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        ("? [a, b]\n: 1\n", (1, 3), "complex-key"),
        ("a: &k name\n*k : 1\n", (2, 1), "complex-key"),
        ("'': 1\n", (1, 1), "empty-key"),
        ("a:\n  <<: 1\n", (2, 7), "bad-merge"),
    ],
)
def test_keys_that_cannot_be_names(text: str, where: tuple[int, int], code: str) -> None:
    found = load_error(text.encode())
    assert ((found.line, found.column), found.code) == (where, code)


def test_yaml_11_traps_stay_what_was_written() -> None:
    data = load_yaml(LOADER_DATA / "yaml11-traps.yaml").data
    for key, text in [("country", "NO"), ("answer", "yes"), ("switch", "on"), ("other_switch", "off")]:
        assert data[key] == text
        assert type(data[key]) is str
    assert data["month"] == "2026-09"
    assert data["day"] == "2026-09-01"
    assert type(data["day"]) is str
    version = data["version"]
    assert isinstance(version, YamlFloat)
    assert (version, version.source) == (3.1, "3.10")
    ident = data["id"]
    assert isinstance(ident, YamlInt)
    assert (ident, ident.source) == (7, "007")
    # YAML 1.2 reads 1e3 as a number (YAML 1.1 left it a string).
    assert isinstance(data["exponent"], float)
    assert data["exponent"] == 1000.0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0o17", 15), ("0x1F", 31), ("-4", -4), ("+4", 4), (".5", 0.5), ("1.", 1.0),
        ("~", None), ("null", None), ("True", True), ("FALSE", False),
        ("0b101", "0b101"), ("1_000", "1_000"), ("y", "y"), ("n", "n"), ("12:30", "12:30"),
    ],
)
def test_core_schema_scalars(text: str, value: object) -> None:
    result = parse_text(f"v: {text}\n").data["v"]
    assert result == value
    # Numbers come back as YamlInt/YamlFloat, subclasses of int/float; True must not pass for 1.
    assert type(result) is type(value) or (type(value) in (int, float) and isinstance(result, type(value)))


def test_special_floats() -> None:
    data = parse_text("a: .inf\nb: -.Inf\nc: .NaN\n").data
    assert data["a"] == math.inf
    assert data["b"] == -math.inf
    assert math.isnan(data["c"])


def test_merge_keys() -> None:
    doc = load_yaml(LOADER_DATA / "merge-keys.yaml")
    assert doc.data["editions"] == {
        "starter": {"price": {"billing": "annual", "per_user_month": 15, "max_users": 10}},
        "pro": {"price": {"billing": "annual", "per_user_month": 49}},
    }
    # Merged keys are located at the `<<` that brought them in; written keys at themselves.
    assert doc.keys[("editions", "starter", "price", "billing")] == (7, 7)
    assert doc.keys[("editions", "starter", "price", "max_users")] == (8, 7)
    assert doc.values[("editions", "starter", "price", "max_users")] == (8, 18)
    assert doc.keys[("editions", "pro", "price", "per_user_month")] == (12, 7)


def test_merge_key_with_a_list_of_mappings() -> None:
    doc = parse_text("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n")
    assert doc.data["c"] == {"x": 1, "y": 1, "z": 3}


def test_positions_of_keys_and_values() -> None:
    doc = load_yaml(ACME)
    assert doc.keys[("id",)] == (1, 1)
    assert doc.values[("id",)] == (1, 5)
    assert doc.keys[("editions", "professional", "features")] == (18, 5)
    assert doc.values[("editions", "professional", "features")] == (19, 7)
    assert doc.values[("editions", "professional", "features", 0)] == (19, 9)
    assert doc.keys[("editions", "professional", "features", 1, "level")] == (20, 39)
    assert doc.values[("editions", "professional", "features", 1, "level")] == (20, 46)
    assert doc.locate(("editions", "team"), key=True) == (21, 3)
    assert doc.locate(("editions", "team")) == (22, 5)
    # A path that is not there is located at its nearest ancestor.
    assert doc.locate(("editions", "team", "price", "max_users")) == (23, 12)
    assert doc.locate(("nowhere", "at all")) == (1, 1)


def test_diagnostic_is_built_at_the_node() -> None:
    doc = load_yaml(ACME, display="acme.yaml")
    found = doc.diagnostic(("editions", "starter", "name"), "some-code", "a message")
    assert str(found) == "acme.yaml:11:11: error a message (some-code)"
    warning = doc.diagnostic(("editions", "starter"), "some-code", "a message", key=True, severity="warning")
    assert str(warning) == "acme.yaml:10:3: warning a message (some-code)"


def test_empty_files_load_as_nothing() -> None:
    assert load_yaml(LOADER_DATA / "empty.yaml").data is None
    assert parse_text("# nothing here yet\n").data is None
    assert parse_text("---\n").data is None


def test_bom_is_skipped_and_positions_ignore_it() -> None:
    doc = load_yaml(LOADER_DATA / "bom.yaml")
    assert doc.data == {"id": "acme-crm", "vendor": "Acme Software"}
    assert doc.keys[("id",)] == (1, 1)
    assert doc.values[("id",)] == (1, 5)
    assert doc.keys[("vendor",)] == (2, 1)


def test_crlf_line_endings() -> None:
    doc = parse_yaml(b"a: 1\r\nb: x\r\n", "f.yaml")
    assert doc.data == {"a": 1, "b": "x"}
    assert doc.values[("b",)] == (2, 4)
    found = load_error(b"a: 1\r\nb: x\xffy\r\n")
    assert (found.line, found.column, found.code) == (2, 5, "not-utf8")


def test_numeric_keys_stay_text() -> None:
    assert parse_text("2026: a\n3.10: b\ntrue: c\n").data == {"2026": "a", "3.10": "b", "true": "c"}


def test_missing_file_and_folder_are_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError) as info:
        load_yaml(tmp_path / "missing.yaml")
    found = info.value.diagnostics[0]
    assert (found.line, found.column, found.code) == (0, 0, "not-found")
    assert info.value.exit_code == 2
    with pytest.raises(UnreadableInputError) as info:
        load_yaml(tmp_path)
    assert info.value.diagnostics[0].code == "unreadable"
    assert "is a folder" in info.value.diagnostics[0].message


def test_node_limit() -> None:
    # The list is one node and each item another: with a limit of 5 the fifth item (6th node) is one too many.
    found = load_error(b"[1, 2, 3, 4, 5, 6]\n", Limits(max_nodes=5))
    assert (found.line, found.column, found.code) == (1, 14, "too-many-nodes")
    assert "more than 5 values" in found.message
    assert parse_yaml(b"[1, 2, 3, 4, 5]\n", "f.yaml", Limits(max_nodes=6)).data == [1, 2, 3, 4, 5]


def test_an_alias_is_one_node_of_the_node_limit() -> None:
    # mapping, a, [ , 1, 2, b, *x: seven nodes written; the alias's expansion counts towards max_alias_nodes.
    raw = b"a: &x [1, 2]\nb: *x\n"
    assert parse_yaml(raw, "f.yaml", Limits(max_nodes=7)).data == {"a": [1, 2], "b": [1, 2]}
    found = load_error(raw, Limits(max_nodes=6))
    assert (found.line, found.column, found.code) == (2, 4, "too-many-nodes")


def test_lone_cr_breaks_lines_for_node_positions() -> None:
    doc = parse_yaml(b"a: 1\rb: 2\r", "f.yaml")
    assert doc.data == {"a": 1, "b": 2}
    assert doc.values[("b",)] == (2, 4)


@pytest.mark.parametrize(
    ("raw", "where", "code"),
    [(b"a: 1\rb: x\xff\r", (2, 5), "not-utf8"), (b"a: 1\rb: x\x07\r", (2, 5), "bad-character")],
    ids=["not-utf8", "bad-character"],
)
def test_lone_cr_breaks_lines_for_decoding_errors(raw: bytes, where: tuple[int, int], code: str) -> None:
    found = load_error(raw)
    assert ((found.line, found.column), found.code) == (where, code)
